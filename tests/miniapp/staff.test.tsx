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
    // Approving asks first, in place; nothing is sent until it is confirmed.
    fireEvent.click(screen.getByText('通过'));
    expect(screen.getByTestId('approve-confirm').textContent).toContain('确定通过吗');
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByText('确认通过'));
    await waitFor(() => expect(screen.queryByText('3号楼 2单元 1201')).toBeNull());
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  const reviewed = {
    ...pending,
    realName: '钱多多',
    ownerMatch: 'none',
    reviewPath: 'two_staff',
    firstApprovedAt: null,
    expectedBy: '2026-12-03T10:00:00Z',
    register: { owners: [{ name: '王秀兰', phoneMasked: '139****0001', developer: false }], nameMatches: false, phoneMatches: false },
    applicantPhoneMasked: '136****0000',
    applicantIsStaff: false,
    firstApproval: null,
    decidedByName: null,
    canDecide: true,
    cannotDecideReason: null,
  };

  it('shows the register’s owner and masked phone beside an owner claim that does not match, and a first approval leaves it 待复核', async () => {
    const api = mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bindings': { status: 200, body: { items: [reviewed], nextCursor: null } },
      [`POST /api/v1/staff/bindings/${ids.binding}/approve`]: {
        status: 200,
        body: { ...reviewed, firstApprovedAt: '2026-11-26T03:00:00Z', firstApproval: { byName: '孙晓燕', at: '2026-11-26T03:00:00Z' }, canDecide: false, cannotDecideReason: '您已经做过初审，需要另一位工作人员复核' },
      },
    });
    render(<StaffBindings />);
    const register = await screen.findByTestId('register');
    expect(register.textContent).toContain('登记业主：王秀兰（139****0001）');
    expect(register.textContent).toContain('姓名与登记不一致');
    expect(register.textContent).toContain('微信手机号136****0000与登记不一致');
    expect(screen.getByText('需两位工作人员核对')).toBeTruthy();

    fireEvent.click(screen.getByText('通过'));
    expect(screen.getByTestId('approve-confirm').textContent).toContain('还要另一位工作人员复核');
    fireEvent.click(screen.getByText('确认通过'));
    // Still listed, now as 待复核, and this reviewer cannot be the second.
    expect((await screen.findByTestId('cannot-decide')).textContent).toBe('您已经做过初审，需要另一位工作人员复核');
    expect(document.querySelector('.binding-card')!.textContent).toContain('待复核 孙晓燕已于2026年11月26日 11:00初审通过');
    expect(screen.queryByTestId('approve')).toBeNull();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('shows 待复核 items to a second reviewer, who completes them after confirming', async () => {
    const waiting = { ...reviewed, firstApprovedAt: '2026-11-26T03:00:00Z', firstApproval: { byName: '孙晓燕', at: '2026-11-26T03:00:00Z' } };
    const fresh = { ...pending, id: 'f'.repeat(24), roomLabel: '5号楼 1单元 101' };
    mockApi({
      'GET /api/v1/me': staffMe,
      'GET /api/v1/staff/bindings': { status: 200, body: { items: [fresh, waiting], nextCursor: null } },
      [`POST /api/v1/staff/bindings/${ids.binding}/approve`]: { status: 200, body: { ...waiting, status: 'approved', decidedByName: '马主任', canDecide: false } },
    });
    render(<StaffBindings />);
    await screen.findByText('5号楼 1单元 101');
    fireEvent.click(screen.getByText('待复核', { selector: '[data-testid="review-filter"] *' }));
    await waitFor(() => expect(screen.queryByText('5号楼 1单元 101')).toBeNull());
    expect(screen.getByText('3号楼 2单元 1201')).toBeTruthy();
    expect(screen.getByText('孙晓燕已于2026年11月26日 11:00初审通过，需要另一位工作人员复核', { exact: false })).toBeTruthy();
    fireEvent.click(screen.getByText('通过'));
    expect(screen.getByTestId('approve-confirm').textContent).toContain('您是第二位核对人');
    fireEvent.click(screen.getByText('确认通过'));
    await waitFor(() => expect(screen.queryByText('3号楼 2单元 1201')).toBeNull());
  });

  it('offers no buttons on the reviewer’s own request, saying why', async () => {
    const own = { ...reviewed, applicantIsStaff: true, canDecide: false, cannotDecideReason: '不能审核自己的申请，请请另一位工作人员审核' };
    const api = mockApi({ 'GET /api/v1/me': staffMe, 'GET /api/v1/staff/bindings': { status: 200, body: { items: [own], nextCursor: null } } });
    render(<StaffBindings />);
    expect((await screen.findByTestId('cannot-decide')).textContent).toBe('不能审核自己的申请，请请另一位工作人员审核');
    expect(screen.getByText('申请人是工作人员')).toBeTruthy();
    expect(screen.queryByText('通过')).toBeNull();
    expect(screen.queryByText('不通过')).toBeNull();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
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
