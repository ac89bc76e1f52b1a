import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { staffUserCreateBody } from '@community/shared';
import { apiError, ids, mockApi, user } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { fieldErrorsOf } from '../../miniapp/src/services/validation';
import StaffPeople from '../../miniapp/src/staff/people/index';

const admin = user({ kind: 'staff', roles: ['admin'], displayName: '赵主任', phoneMasked: null });
const adminMe = { status: 200, body: { ...admin, rooms: [] } };
const resident = user({ id: 'f'.repeat(24), roles: ['resident', 'owner', 'volunteer'], displayName: '王秀兰' });
const property = user({ id: '1'.repeat(24), kind: 'staff', roles: ['property_staff'], displayName: '孙师傅', phoneMasked: null });
const company = { id: '2'.repeat(24), name: '安居物业' };

function baseRoutes() {
  return {
    'GET /api/v1/me': adminMe,
    'GET /api/v1/staff/users': { status: 200, body: { items: [admin, resident, property] } },
    'GET /api/v1/staff/property-companies': { status: 200, body: { items: [company] } },
  };
}

function type(testId: string, value: string) {
  const input = screen.getByTestId(testId).querySelector('input') ?? screen.getByTestId(testId);
  fireEvent.input(input, { target: { value } });
}

function personCard(name: string): HTMLElement {
  const card = screen.getAllByTestId('person').find((el) => el.textContent?.includes(name));
  if (!card) throw new Error(`no person card for ${name}`);
  return card;
}

describe('admin: people and roles', () => {
  beforeEach(() => {
    resetAppState();
    signIn('admin');
  });

  it('lists people with their role labels and filters by role', async () => {
    const api = mockApi(baseRoutes());
    render(<StaffPeople />);
    const card = await waitFor(() => personCard('王秀兰'));
    expect(within(card).getByText('居民')).toBeTruthy();
    expect(within(card).getByText('业主')).toBeTruthy();
    expect(within(card).getByText('志愿者')).toBeTruthy();
    expect(within(personCard('孙师傅')).getByText('物业公司：还没有指定')).toBeTruthy();
    const first = api.calls.find((c) => c.path === '/api/v1/staff/users')!;
    expect(new URL(first.url).searchParams.get('limit')).toBe('50');
    expect(new URL(first.url).searchParams.get('role')).toBeNull();

    fireEvent.click(within(screen.getByTestId('people-filter')).getByText('网格员'));
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/v1/staff/users')).toHaveLength(2));
    const second = api.calls.filter((c) => c.path === '/api/v1/staff/users')[1]!;
    expect(new URL(second.url).searchParams.get('role')).toBe('grid_worker');
  });

  it('the staff-account form shows the shared schema’s messages and sends nothing while invalid', async () => {
    const api = mockApi(baseRoutes());
    render(<StaffPeople />);
    fireEvent.click(await screen.findByText('新建工作人员账号'));
    type('new-staff-name-input', '李明');
    type('new-staff-username-input', 'li');
    type('new-staff-password-input', 'short1');
    fireEvent.click(screen.getByText('建好账号'));

    const expected = staffUserCreateBody.safeParse({ username: 'li', password: 'short1', displayName: '李明', roles: [] });
    if (expected.success) throw new Error('the schema should refuse this form');
    const fe = fieldErrorsOf(expected.error.issues);
    expect(await screen.findByText('密码至少10位')).toBeTruthy();
    expect(screen.getByTestId('new-staff-password-error').textContent).toBe(fe.password![0]);
    expect(screen.getByTestId('new-staff-username-error').textContent).toBe(fe.username![0]);
    expect(screen.getByTestId('new-staff-username-error').textContent).toBe('用户名是3到32位字母、数字或 _ . -');
    expect(screen.getByTestId('new-staff-roles-error').textContent).toBe('至少选择一个身份');
    expect(screen.queryByTestId('new-staff-name-error')).toBeNull();
    type('new-staff-password-input', 'longenoughpassword');
    fireEvent.click(screen.getByText('建好账号'));
    expect(await screen.findByText('密码需要包含数字')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('creates a staff account with the chosen roles and shows the person', async () => {
    const created = user({ id: '3'.repeat(24), kind: 'staff', roles: ['grid_worker', 'community_staff'], displayName: '李明', phoneMasked: null });
    const api = mockApi({ ...baseRoutes(), 'POST /api/v1/staff/users': { status: 201, body: created } });
    render(<StaffPeople />);
    fireEvent.click(await screen.findByText('新建工作人员账号'));
    type('new-staff-name-input', '李明');
    type('new-staff-username-input', 'li.ming');
    type('new-staff-password-input', 'Community2026');
    fireEvent.click(screen.getByTestId('new-staff-role-grid_worker'));
    fireEvent.click(screen.getByTestId('new-staff-role-community_staff'));
    fireEvent.click(screen.getByText('建好账号'));

    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({
      username: 'li.ming',
      password: 'Community2026',
      displayName: '李明',
      roles: ['grid_worker', 'community_staff'],
    });
    const card = await waitFor(() => personCard('李明'));
    expect(within(card).getByText('网格员')).toBeTruthy();
    expect(within(card).getByText('社区工作人员')).toBeTruthy();
    expect(screen.queryByText('建好账号')).toBeNull();
  });

  it('a taken username: the API’s 409 message is shown beside the form', async () => {
    mockApi({ ...baseRoutes(), 'POST /api/v1/staff/users': apiError(409, 'CONFLICT', '用户名 li.ming 已被使用，请换一个') });
    render(<StaffPeople />);
    fireEvent.click(await screen.findByText('新建工作人员账号'));
    type('new-staff-name-input', '李明');
    type('new-staff-username-input', 'li.ming');
    type('new-staff-password-input', 'Community2026');
    fireEvent.click(screen.getByTestId('new-staff-role-community_staff'));
    fireEvent.click(screen.getByText('建好账号'));
    expect(await screen.findByText('用户名 li.ming 已被使用，请换一个')).toBeTruthy();
    expect(screen.getByText('建好账号')).toBeTruthy();
  });

  it('role editing sends only granted roles and keeps 居民/业主 read-only', async () => {
    const api = mockApi({
      ...baseRoutes(),
      [`PUT /api/v1/staff/users/${resident.id}/roles`]: (c) => ({
        status: 200,
        body: { ...resident, roles: ['resident', 'owner', ...(c.body as { roles: string[] }).roles] },
      }),
    });
    render(<StaffPeople />);
    const card = await waitFor(() => personCard('王秀兰'));
    fireEvent.click(within(card).getByText('修改身份'));
    const editor = within(card).getByTestId('role-editor');
    expect(within(editor).queryByTestId('role-resident')).toBeNull();
    expect(within(editor).queryByTestId('role-owner')).toBeNull();
    expect(within(editor).getByText('居民、业主身份来自房屋绑定，这里不能修改。')).toBeTruthy();
    expect(within(editor).getByTestId('role-volunteer').getAttribute('aria-checked')).toBe('true');

    fireEvent.click(within(editor).getByTestId('role-grid_worker'));
    fireEvent.click(within(editor).getByTestId('role-volunteer'));
    fireEvent.click(within(editor).getByText('保存身份'));

    await waitFor(() => expect(api.calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'PUT')!.body).toEqual({ roles: ['grid_worker'] });
    await waitFor(() => expect(within(personCard('王秀兰')).getByText('网格员')).toBeTruthy());
    expect(within(personCard('王秀兰')).queryByText('志愿者')).toBeNull();
    expect(within(personCard('王秀兰')).queryByTestId('role-editor')).toBeNull();
  });

  it('a 409 from role editing shows the API’s message', async () => {
    mockApi({
      ...baseRoutes(),
      [`PUT /api/v1/staff/users/${ids.user}/roles`]: apiError(409, 'CONFLICT', '不能取消自己的管理员身份，请让另一位管理员操作'),
    });
    render(<StaffPeople />);
    const card = await waitFor(() => personCard('赵主任'));
    fireEvent.click(within(card).getByText('修改身份'));
    fireEvent.click(within(card).getByTestId('role-admin'));
    fireEvent.click(within(card).getByText('保存身份'));
    const alert = await within(card).findByTestId('role-error');
    expect(alert.textContent).toBe('不能取消自己的管理员身份，请让另一位管理员操作');
    expect(within(card).getByTestId('role-editor')).toBeTruthy();
  });

  it('sets a property_staff member’s company', async () => {
    const api = mockApi({
      ...baseRoutes(),
      [`PUT /api/v1/staff/users/${property.id}/property-company`]: (c) => ({
        status: 200,
        body: { ...property, propertyCompanyId: (c.body as { propertyCompanyId: string | null }).propertyCompanyId },
      }),
    });
    render(<StaffPeople />);
    await waitFor(() => personCard('孙师傅'));
    expect(within(personCard('王秀兰')).queryByText('物业公司')).toBeNull();
    fireEvent.click(within(personCard('孙师傅')).getByText('指定'));
    fireEvent.click(within(personCard('孙师傅')).getByText('安居物业'));
    fireEvent.click(within(personCard('孙师傅')).getByText('保存'));
    await waitFor(() => expect(within(personCard('孙师傅')).getByText('物业公司：安居物业')).toBeTruthy());
    expect(api.calls.find((c) => c.method === 'PUT')!.body).toEqual({ propertyCompanyId: company.id });
  });
});
