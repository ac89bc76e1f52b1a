import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi, user } from './support/http';
import { resetAppState, signIn } from './support/reset';
import StaffGrids from '../../miniapp/src/staff/grids/index';
import StaffBuildings from '../../miniapp/src/staff/buildings/index';
import StaffHome from '../../miniapp/src/staff/index/index';

const oid = (c: string) => c.repeat(24);
const adminMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['admin'], displayName: '赵主任' }), rooms: [] } };
const zhang = user({ id: oid('1'), kind: 'staff', roles: ['grid_worker'], displayName: '张网格', phoneMasked: null, gridIds: [oid('7')] });
const liu = user({ id: oid('2'), kind: 'staff', roles: ['grid_worker'], displayName: '刘网格', phoneMasked: null, gridIds: [] });
const grids = [
  { id: oid('7'), name: '第一网格', code: '第一网格', workerIds: [zhang.id] },
  { id: oid('8'), name: '第二网格', code: '第二网格', workerIds: [] },
];

function gridCard(gridId: string): HTMLElement {
  return screen.getByTestId(`grid-${gridId}`);
}

describe('admin: grids and grid workers', () => {
  beforeEach(() => {
    resetAppState();
    signIn('admin');
  });

  it('shows each grid with its workers’ names, from the grid_worker list', async () => {
    const api = mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids } },
      'GET /api/v1/staff/users': { status: 200, body: { items: [zhang, liu] } },
    });
    render(<StaffGrids />);
    expect(await screen.findByText('张网格')).toBeTruthy();
    expect(within(gridCard(oid('7'))).getByText('张网格')).toBeTruthy();
    expect(within(gridCard(oid('8'))).getByText('这个网格还没有网格员。')).toBeTruthy();
    expect(new URL(api.calls.find((c) => c.path === '/api/v1/staff/users')!.url).searchParams.get('role')).toBe('grid_worker');
  });

  it('adds a worker to a grid and removes one', async () => {
    const api = mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids } },
      'GET /api/v1/staff/users': { status: 200, body: { items: [zhang, liu] } },
      [`PUT /api/v1/staff/grids/${oid('8')}/workers/${liu.id}`]: { status: 200, body: { ...liu, gridIds: [oid('8')] } },
      [`DELETE /api/v1/staff/grids/${oid('7')}/workers/${zhang.id}`]: { status: 200, body: { ...zhang, gridIds: [] } },
    });
    render(<StaffGrids />);
    await screen.findByText('张网格');

    const second = gridCard(oid('8'));
    fireEvent.click(within(second).getByText('添加网格员'));
    fireEvent.click(within(second).getByText('刘网格'));
    fireEvent.click(within(second).getByText('加入网格'));
    await waitFor(() => expect(within(gridCard(oid('8'))).getAllByTestId('grid-worker')).toHaveLength(1));
    expect(within(gridCard(oid('8'))).getByText('刘网格')).toBeTruthy();

    fireEvent.click(within(gridCard(oid('7'))).getByText('移出'));
    await waitFor(() => expect(within(gridCard(oid('7'))).queryByText('张网格')).toBeNull());
    expect(api.calls.filter((c) => c.method === 'PUT' || c.method === 'DELETE').map((c) => `${c.method} ${c.path}`)).toEqual([
      `PUT /api/v1/staff/grids/${oid('8')}/workers/${liu.id}`,
      `DELETE /api/v1/staff/grids/${oid('7')}/workers/${zhang.id}`,
    ]);
  });

  it('a 409 (the person is no longer a grid worker) shows the API’s message in that grid', async () => {
    mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids } },
      'GET /api/v1/staff/users': { status: 200, body: { items: [zhang, liu] } },
      [`PUT /api/v1/staff/grids/${oid('8')}/workers/${liu.id}`]: apiError(409, 'CONFLICT', '请先授予此人网格员身份'),
    });
    render(<StaffGrids />);
    await screen.findByText('张网格');
    const second = gridCard(oid('8'));
    fireEvent.click(within(second).getByText('添加网格员'));
    fireEvent.click(within(second).getByText('刘网格'));
    fireEvent.click(within(second).getByText('加入网格'));
    expect(await within(second).findByText('请先授予此人网格员身份')).toBeTruthy();
  });

  it('says where to go when nobody holds the grid_worker role yet', async () => {
    mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids.map((g) => ({ ...g, workerIds: [] })) } },
      'GET /api/v1/staff/users': { status: 200, body: { items: [] } },
    });
    render(<StaffGrids />);
    expect(await screen.findByText('还没有人有网格员身份。请先在“人员与身份”里给工作人员加上“网格员”身份。')).toBeTruthy();
    fireEvent.click(screen.getByText('去人员与身份'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/people/index' });
  });
});

describe('admin: buildings and property companies', () => {
  beforeEach(() => {
    resetAppState();
    signIn('admin');
  });

  const companies = [
    { id: oid('3'), name: '安居物业' },
    { id: oid('4'), name: '康乐物业' },
  ];
  const buildings = [
    { id: oid('5'), name: '3号楼', gridId: oid('7'), propertyCompanyId: oid('3'), unitCount: 2 },
    { id: oid('6'), name: '5号楼', gridId: oid('8'), propertyCompanyId: null, unitCount: 1 },
  ];

  it('shows each building’s company, grouped by grid, and changes it', async () => {
    const api = mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/spaces/buildings': { status: 200, body: { items: buildings } },
      'GET /api/v1/staff/property-companies': { status: 200, body: { items: companies } },
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids } },
      [`PUT /api/v1/staff/buildings/${oid('5')}/property-company`]: (c) => ({
        status: 200,
        body: { id: oid('5'), propertyCompanyId: (c.body as { propertyCompanyId: string | null }).propertyCompanyId },
      }),
    });
    render(<StaffBuildings />);
    await screen.findByText('3号楼');
    await screen.findByText('第二网格');
    const [b3, b5] = screen.getAllByTestId('building');
    expect(b3!.textContent).toContain('物业：安居物业');
    expect(b5!.textContent).toContain('物业：还没有指定');

    fireEvent.click(within(b3!).getByText('更换'));
    fireEvent.click(within(b3!).getByText('康乐物业'));
    fireEvent.click(within(b3!).getByText('保存'));
    await waitFor(() => expect(screen.getAllByTestId('building')[0]!.textContent).toContain('物业：康乐物业'));
    expect(api.calls.find((c) => c.method === 'PUT')!.body).toEqual({ propertyCompanyId: oid('4') });

    fireEvent.click(within(screen.getAllByTestId('building')[0]!).getByText('更换'));
    fireEvent.click(within(screen.getAllByTestId('building')[0]!).getByText('暂不指定'));
    fireEvent.click(within(screen.getAllByTestId('building')[0]!).getByText('保存'));
    await waitFor(() => expect(screen.getAllByTestId('building')[0]!.textContent).toContain('物业：还没有指定'));
    expect(api.calls.filter((c) => c.method === 'PUT')[1]!.body).toEqual({ propertyCompanyId: null });
  });

  it('shows the API’s message when a change is refused', async () => {
    mockApi({
      'GET /api/v1/me': adminMe,
      'GET /api/v1/spaces/buildings': { status: 200, body: { items: buildings } },
      'GET /api/v1/staff/property-companies': { status: 200, body: { items: companies } },
      'GET /api/v1/staff/grids': { status: 200, body: { items: grids } },
      [`PUT /api/v1/staff/buildings/${oid('6')}/property-company`]: apiError(404, 'NOT_FOUND', '没有找到这家物业公司'),
    });
    render(<StaffBuildings />);
    await screen.findByText('5号楼');
    const b5 = screen.getAllByTestId('building')[1]!;
    fireEvent.click(within(b5).getByText('指定'));
    fireEvent.click(within(b5).getByText('安居物业'));
    fireEvent.click(within(b5).getByText('保存'));
    expect(await within(b5).findByText('没有找到这家物业公司')).toBeTruthy();
  });
});

describe('staff workbench: admin entries', () => {
  beforeEach(() => {
    resetAppState();
    signIn('admin');
  });

  it('admins see the four admin pages and can open them', async () => {
    mockApi({ 'GET /api/v1/me': adminMe });
    render(<StaffHome />);
    expect(await screen.findByText('社区管理')).toBeTruthy();
    for (const [testId, url] of [
      ['staff-imports', '/staff/imports/index'],
      ['staff-people', '/staff/people/index'],
      ['staff-grids', '/staff/grids/index'],
      ['staff-buildings', '/staff/buildings/index'],
    ] as const) {
      fireEvent.click(screen.getByTestId(testId));
      expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url });
    }
  });

  it('other staff do not see them', async () => {
    mockApi({ 'GET /api/v1/me': { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff', 'grid_worker'] }), rooms: [] } } });
    render(<StaffHome />);
    expect(await screen.findByText('房屋绑定审核')).toBeTruthy();
    expect(screen.queryByText('社区管理')).toBeNull();
    expect(screen.queryByText('导入房屋台账')).toBeNull();
  });
});
