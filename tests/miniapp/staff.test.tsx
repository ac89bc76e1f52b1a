import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { bindingRejectBody } from '@community/shared';
import { ids, mockApi, user } from './support/http';
import { resetAppState, signIn } from './support/reset';
import StaffBindings from '../../miniapp/src/staff/bindings/index';

const pending = {
  id: ids.binding,
  userId: ids.user,
  roomId: ids.room,
  roomLabel: '3号楼 2单元 1201',
  relation: 'owner',
  status: 'pending',
  realName: '王秀兰',
  note: '和女儿一起住',
  reason: null,
  via: 'request',
  createdAt: '2026-11-26T02:00:00Z',
  decidedAt: null,
};

const staffMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'] }), rooms: [] } };

describe('staff: room binding review', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists pending requests and approves one', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bindings': { status: 200, body: { items: [pending], nextCursor: null } },
      [`POST /api/v1/staff/bindings/${ids.binding}/approve`]: { status: 200, body: { ...pending, status: 'approved' } },
    });
    render(<StaffBindings />);
    expect(await screen.findByText('3号楼 2单元 1201')).toBeTruthy();
    expect(screen.getByText('2026年11月26日 10:00', { exact: false })).toBeTruthy();
    expect(api.calls.find((c) => c.path === '/api/v1/staff/bindings')!.url).toContain('status=pending');
    fireEvent.click(screen.getByText('通过'));
    await waitFor(() => expect(screen.queryByText('3号楼 2单元 1201')).toBeNull());
  });

  it('a rejection needs a reason (the shared schema’s rule) before anything is sent', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bindings': { status: 200, body: { items: [pending], nextCursor: null } },
      [`POST /api/v1/staff/bindings/${ids.binding}/reject`]: (c) => ({
        status: 200,
        body: { ...pending, status: 'rejected', reason: (c.body as { reason: string }).reason },
      }),
    });
    render(<StaffBindings />);
    fireEvent.click(await screen.findByText('不通过'));
    fireEvent.click(screen.getByText('确认不通过'));
    const r = bindingRejectBody.safeParse({ reason: '' });
    expect(r.success).toBe(false);
    expect(await screen.findByText(r.success ? '' : r.error.issues[0]!.message)).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.input(document.querySelector('.binding-card input')!, { target: { value: '姓名与登记信息不一致' } });
    fireEvent.click(screen.getByText('确认不通过'));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({ reason: '姓名与登记信息不一致' });
  });

  it('tells a resident plainly that the workbench is not for them', async () => {
    mockApi({ 'GET /api/v1/me': { status: 200, body: { ...user(), rooms: [] } } });
    render(<StaffBindings />);
    expect(await screen.findByText('这里是社区工作人员的工作台，您没有权限查看。')).toBeTruthy();
  });
});
