import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ids, mockApi, user } from './support/http';
import { resetAppState, signIn } from './support/reset';
import BindingMine from '../../miniapp/src/binding/mine/index';

const base = {
  userId: ids.user,
  roomId: ids.room,
  buildingId: ids.building,
  note: null,
  reason: null,
  via: 'request',
  createdAt: '2026-11-26T02:00:00Z',
  decidedAt: null,
  firstApprovedAt: null,
  expectedBy: null,
};
const auto = { ...base, id: '1'.repeat(24), roomLabel: '1号楼 1单元 301', relation: 'owner', status: 'approved', realName: '王秀英', ownerMatch: 'phone', reviewPath: 'auto', decidedAt: '2026-11-26T02:00:00Z' };
const oneStaff = { ...base, id: '2'.repeat(24), roomLabel: '2号楼 1单元 101', relation: 'tenant', status: 'pending', realName: '王秀英', ownerMatch: null, reviewPath: 'staff', expectedBy: '2026-12-01T10:00:00Z' };
const twoStaff = { ...base, id: '3'.repeat(24), roomLabel: '3号楼 1单元 202', relation: 'owner', status: 'pending', realName: '王秀英', ownerMatch: 'none', reviewPath: 'two_staff', expectedBy: '2026-12-03T10:00:00Z' };
const me = { status: 200, body: { ...user(), rooms: [] } };

describe('我的房屋: what happens to each request', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('says in words whether it passed by phone, waits for the community, or needs two staff, with the expected date', async () => {
    mockApi({ 'GET /api/v1/me': me, 'GET /api/v1/bindings/mine': { status: 200, body: { items: [auto, oneStaff, twoStaff] } } });
    render(<BindingMine />);
    const items = await screen.findAllByTestId('binding-item');
    expect(items).toHaveLength(3);
    expect(within(items[0]!).getByTestId('binding-outcome').textContent).toBe('手机号与业主登记一致，已自动通过');
    expect(within(items[1]!).getByTestId('binding-outcome').textContent).toBe('等待社区审核，预计2026年12月1日前有结果');
    expect(within(items[2]!).getByTestId('binding-outcome').textContent).toBe('需要两位工作人员核对，预计2026年12月3日前有结果');
    // Only requests still waiting can be taken back.
    expect(within(items[0]!).queryByText('撤回申请')).toBeNull();
    expect(within(items[1]!).getByText('撤回申请')).toBeTruthy();
  });

  it('tells a 待复核 request apart: the first check is done, the second is awaited', async () => {
    mockApi({ 'GET /api/v1/me': me, 'GET /api/v1/bindings/mine': { status: 200, body: { items: [{ ...twoStaff, firstApprovedAt: '2026-11-27T02:00:00Z' }] } } });
    render(<BindingMine />);
    expect((await screen.findByTestId('binding-outcome')).textContent).toBe('需要两位工作人员核对：第一位已核对，正在等第二位复核，预计2026年12月3日前有结果');
  });

  it('withdraws a pending request only after the resident confirms, then shows 已撤回', async () => {
    const api = mockApi({
      'GET /api/v1/me': me,
      'GET /api/v1/bindings/mine': { status: 200, body: { items: [oneStaff] } },
      [`POST /api/v1/bindings/${oneStaff.id}/withdraw`]: { status: 200, body: { ...oneStaff, status: 'withdrawn', expectedBy: null, decidedAt: '2026-11-27T02:00:00Z' } },
    });
    render(<BindingMine />);
    fireEvent.click(await screen.findByText('撤回申请'));
    expect(screen.getByTestId('withdraw-confirm').textContent).toContain('确定撤回吗');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByText('确定撤回'));
    await waitFor(() => expect(screen.getByText('已撤回')).toBeTruthy());
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([`/api/v1/bindings/${oneStaff.id}/withdraw`]);
    expect(screen.queryByText('撤回申请')).toBeNull();
    expect(screen.queryByTestId('binding-outcome')).toBeNull();
  });

  it('keeps the request and shows the API’s words when it was decided meanwhile', async () => {
    mockApi({
      'GET /api/v1/me': me,
      'GET /api/v1/bindings/mine': { status: 200, body: { items: [oneStaff] } },
      [`POST /api/v1/bindings/${oneStaff.id}/withdraw`]: {
        status: 409,
        body: { error: { code: 'BINDING_ALREADY_DECIDED', message: '这条申请已经处理过了，不能再撤回' } },
      },
    });
    render(<BindingMine />);
    fireEvent.click(await screen.findByText('撤回申请'));
    fireEvent.click(screen.getByText('确定撤回'));
    expect(await screen.findByText('这条申请已经处理过了，不能再撤回')).toBeTruthy();
    expect(screen.getByText('待审核')).toBeTruthy();
  });
});
