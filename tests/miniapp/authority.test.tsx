import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { mockApi } from './support/http';
import { resetAppState, signIn } from './support/reset';
import Authorities from '../../miniapp/src/binding/authority/index';

const li = 'b'.repeat(24);
const view = (over: Record<string, unknown> = {}) => ({
  id: 'c'.repeat(24),
  grantorId: 'a'.repeat(24),
  grantorName: '王秀英',
  granteeId: li,
  granteeName: '李建国',
  scopes: ['bookings'],
  expiresAt: '2026-12-26T09:00:00+08:00',
  revokedAt: null,
  active: true,
  createdAt: '2026-11-26T09:00:00+08:00',
  ...over,
});

describe('授权家人代办', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('asks whom first (the shared schema), then grants bookings for the chosen time and lists it', async () => {
    let granted = false;
    const api = mockApi({
      'GET /api/v1/me': { status: 200, body: { id: 'a'.repeat(24), nickname: '王秀英', displayName: '王秀英', phoneMasked: null, roles: ['resident', 'owner'], communityId: 'd'.repeat(24), gridIds: [], propertyCompanyId: null, kind: 'wechat', createdAt: '2026-11-01T09:00:00+08:00', rooms: [] } },
      'GET /api/v1/authorities': () => ({ status: 200, body: { given: granted ? [view()] : [], received: [] } }),
      'GET /api/v1/authorities/candidates': { status: 200, body: { items: [{ id: li, name: '李建国', relation: 'family' }, { id: 'e'.repeat(24), name: '周海涛', relation: 'grid_worker' }] } },
      'POST /api/v1/authorities': () => {
        granted = true;
        return { status: 201, body: view() };
      },
    });
    render(<Authorities />);
    expect(await screen.findByText('还没有授权任何人')).toBeTruthy();
    fireEvent.click(screen.getByText('确认授权'));
    expect(await screen.findByTestId('granteeId-error')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.click(screen.getByText('李建国'));
    fireEvent.click(screen.getByText('三个月'));
    fireEvent.click(screen.getByText('确认授权'));
    await screen.findByText('已授权李建国替您预约服务，12月26日前有效');
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({ granteeId: li, scopes: ['bookings'], days: 90 });
    await waitFor(() => expect(screen.getAllByTestId('authority-given')).toHaveLength(1));
  });

  it('grants 活动报名 and 议事投票 as well when chosen; at least one thing must be chosen', async () => {
    let granted: string[] | null = null;
    const api = mockApi({
      'GET /api/v1/authorities': () => ({ status: 200, body: { given: granted ? [view({ scopes: granted })] : [], received: [] } }),
      'GET /api/v1/authorities/candidates': { status: 200, body: { items: [{ id: li, name: '李建国', relation: 'family' }] } },
      'POST /api/v1/authorities': (c) => {
        granted = (c.body as { scopes: string[] }).scopes;
        return { status: 201, body: view({ scopes: granted }) };
      },
    });
    render(<Authorities />);
    fireEvent.click(await screen.findByText('李建国'));
    expect(screen.getByTestId('pick-scopes-bookings').getAttribute('aria-checked')).toBe('true');
    fireEvent.click(screen.getByTestId('pick-scopes-bookings'));
    fireEvent.click(screen.getByText('确认授权'));
    expect((await screen.findByTestId('scopes-error')).textContent).toBe('请至少选择一项可以代办的事');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('pick-scopes-votes'));
    fireEvent.click(screen.getByTestId('pick-scopes-signups'));
    expect(screen.getByTestId('pick-scopes-signups').textContent).toContain('✓ 已选');
    fireEvent.click(screen.getByText('确认授权'));
    await screen.findByText('已授权李建国替您议事投票、活动报名，12月26日前有效');
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({ granteeId: li, scopes: ['votes', 'signups'], days: 30 });
    await waitFor(() => expect(screen.getByTestId('authority-given').textContent).toContain('议事投票、活动报名'));
  });

  it('takes an authority back with one tap', async () => {
    let revoked = false;
    const api = mockApi({
      'GET /api/v1/authorities': () => ({ status: 200, body: { given: revoked ? [] : [view()], received: [] } }),
      'GET /api/v1/authorities/candidates': { status: 200, body: { items: [] } },
      [`POST /api/v1/authorities/${'c'.repeat(24)}/revoke`]: () => {
        revoked = true;
        return { status: 200, body: view({ active: false, revokedAt: '2026-11-26T10:00:00+08:00' }) };
      },
    });
    render(<Authorities />);
    fireEvent.click(await screen.findByTestId(`revoke-${'c'.repeat(24)}`));
    await screen.findByText('已收回给李建国的授权');
    expect(api.calls.some((c) => c.path.endsWith('/revoke'))).toBe(true);
    await screen.findByText('还没有授权任何人');
  });
});
