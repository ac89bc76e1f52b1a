import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { councilMemberBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { centreMe, member, mtgIds, residentMe } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffCouncil from '../../miniapp/src/staff/council/index';

const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

describe('staff: 议事会成员', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists the members; adds a resident found by name with a title (the shared schema asks for one first)', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/council-members': { status: 200, body: { items: [member()] } },
      'GET /api/v1/staff/residents': { status: 200, body: { items: [{ id: mtgIds.wang, name: '王秀英', rooms: ['3栋2单元301'], phoneMasked: null }, { id: mtgIds.li, name: '李桂芳', rooms: ['5栋1单元102'], phoneMasked: null }] } },
      'POST /api/v1/staff/council-members': (c) => ({ status: 201, body: member({ userId: mtgIds.li, name: '李桂芳', title: (c.body as { title: string }).title }) }),
    });
    render(<StaffCouncil />);
    const list = await screen.findByTestId('council-list');
    expect(within(list).getAllByTestId('council-member')).toHaveLength(1);
    expect(list.textContent).toContain('居民代表');

    fireEvent.click(screen.getByTestId('council-add-open'));
    // Residents first; desk people are the other choice.
    expect(screen.getByTestId('council-source')).toBeTruthy();
    type('resident-q', '王');
    fireEvent.click(screen.getByTestId('resident-search-submit'));
    // Someone already a member cannot be picked again.
    expect((await screen.findByTestId(`pick-${mtgIds.wang}`)).textContent).toContain('已是成员');
    fireEvent.click(screen.getByTestId(`pick-${mtgIds.wang}`));
    expect(screen.queryByTestId('council-picked')).toBeNull();
    fireEvent.click(screen.getByTestId(`pick-${mtgIds.li}`));
    expect(screen.getByTestId('council-picked').textContent).toContain('李桂芳');
    // The suggested title is chosen; choosing another one is sent.
    fireEvent.click(screen.getByTestId('council-title-choices-building_head'));
    fireEvent.click(screen.getByTestId('council-add-submit'));
    await waitFor(() => expect(within(screen.getByTestId('council-list')).getAllByTestId('council-member')).toHaveLength(2));
    expect(posts(api.calls, '/api/v1/staff/council-members')[0]!.body).toEqual({ userId: mtgIds.li, title: 'building_head' });
    expect(screen.getByTestId('council-notice').textContent).toBe('已把李桂芳加入议事会（楼栋长）。');
    expect(api.calls.find((c) => c.path === '/api/v1/staff/residents')!.url).toContain('q=%E7%8E%8B');
  });

  it('the title error is the shared schema’s own words', () => {
    const r = councilMemberBody.safeParse({ userId: mtgIds.li });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('请选择成员身份');
  });

  it('a refusal (already a member) is shown in the API’s words', async () => {
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/council-members': { status: 200, body: { items: [] } },
      'GET /api/v1/staff/residents': { status: 200, body: { items: [{ id: mtgIds.li, name: '李桂芳', rooms: ['5栋1单元102'], phoneMasked: null }] } },
      'POST /api/v1/staff/council-members': apiError(409, 'CONFLICT', '李桂芳已经是议事会成员了'),
    });
    render(<StaffCouncil />);
    expect((await screen.findByTestId('council-list')).textContent).toContain('议事会还没有成员');
    fireEvent.click(screen.getByTestId('council-add-open'));
    type('resident-q', '李');
    fireEvent.click(screen.getByTestId('resident-search-submit'));
    fireEvent.click(await screen.findByTestId(`pick-${mtgIds.li}`));
    fireEvent.click(screen.getByTestId('council-add-submit'));
    expect((await screen.findByTestId('council-add-error')).textContent).toBe('李桂芳已经是议事会成员了');
  });

  it('removing asks first, then DELETEs and takes the row away', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/council-members': { status: 200, body: { items: [member(), member({ userId: mtgIds.zhao, name: '赵德明', title: 'property_rep' })] } },
      [`DELETE /api/v1/staff/council-members/${mtgIds.zhao}`]: { status: 200, body: { ok: true } },
    });
    render(<StaffCouncil />);
    await screen.findByTestId('council-list');
    fireEvent.click(screen.getByTestId(`council-remove-${mtgIds.zhao}`));
    expect(screen.getByTestId('council-remove-panel').textContent).toContain('确定把赵德明移出议事会吗');
    expect(api.calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('council-remove-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('council-member')).toHaveLength(1));
    expect(screen.getByTestId('council-notice').textContent).toBe('已把赵德明移出议事会。');
  });

  it('centre staff also pick desk people (names and desks only); a property account suggests 物业代表', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/council-members': { status: 200, body: { items: [] } },
      'GET /api/v1/staff/council-members/staff-candidates': { status: 200, body: { items: [{ userId: mtgIds.zhao, name: '赵德明', desk: 'property_staff' }] } },
      'POST /api/v1/staff/council-members': (c) => ({ status: 201, body: member({ userId: mtgIds.zhao, name: '赵德明', title: (c.body as { title: string }).title }) }),
    });
    render(<StaffCouncil />);
    await screen.findByTestId('council-list');
    fireEvent.click(screen.getByTestId('council-add-open'));
    fireEvent.click(screen.getByTestId('council-source-staff'));
    expect((await screen.findByTestId(`pick-${mtgIds.zhao}`)).textContent).toContain('物业人员');
    fireEvent.click(screen.getByTestId(`pick-${mtgIds.zhao}`));
    fireEvent.click(screen.getByTestId('council-add-submit'));
    await waitFor(() => expect(posts(api.calls, '/api/v1/staff/council-members')).toHaveLength(1));
    expect(posts(api.calls, '/api/v1/staff/council-members')[0]!.body).toEqual({ userId: mtgIds.zhao, title: 'property_rep' });
  });

  it('a resident is told the page is not theirs', async () => {
    mockApi({ 'GET /api/v1/me': residentMe });
    render(<StaffCouncil />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
  });

  it('长辈版: the picker rows are big tap targets', async () => {
    elderlyStore.set(true);
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/council-members': { status: 200, body: { items: [] } },
      'GET /api/v1/staff/residents': { status: 200, body: { items: [{ id: mtgIds.li, name: '李桂芳', rooms: ['5栋1单元102'], phoneMasked: null }] } },
    });
    const { container } = render(<StaffCouncil />);
    await screen.findByTestId('council-list');
    fireEvent.click(screen.getByTestId('council-add-open'));
    type('resident-q', '李');
    fireEvent.click(screen.getByTestId('resident-search-submit'));
    expect((await screen.findByTestId(`pick-${mtgIds.li}`)).classList.contains('tap')).toBe(true);
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
  });
});
