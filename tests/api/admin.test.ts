import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
let admin: string;
let adminId: string;
beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  const login = await api.loginStaff('admin');
  admin = login.accessToken;
  adminId = login.user.id;
});
afterAll(() => api.close());

describe('desk accounts and roles', () => {
  let userId: string;

  it('When an admin creates a desk account, then it can log in with its password', async () => {
    const res = await api.request('POST', '/api/v1/staff/users', {
      token: admin,
      body: { username: 'newdesk', password: 'desk-pass-2026', displayName: '新同事', roles: ['community_staff'] },
    });
    expect(res.status).toBe(201);
    userId = res.body.id;
    expect((await api.loginStaff('newdesk', 'desk-pass-2026')).user.roles).toEqual(['community_staff']);
  });

  it('refuses a weak password and a taken username with clear messages', async () => {
    const weak = await api.request('POST', '/api/v1/staff/users', {
      token: admin,
      body: { username: 'weak', password: 'short', displayName: '弱密码', roles: ['community_staff'] },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.fields['body.password']).toContain('密码至少10位');
    const taken = await api.request('POST', '/api/v1/staff/users', {
      token: admin,
      body: { username: 'newdesk', password: 'desk-pass-2026', displayName: '重名', roles: ['community_staff'] },
    });
    expect(taken.status).toBe(409);
  });

  it('grants staff roles but never resident or owner, which come from room bindings', async () => {
    const res = await api.request('PUT', `/api/v1/staff/users/${userId}/roles`, { token: admin, body: { roles: ['owner'] } });
    expect(res.status).toBe(400);
    const ok = await api.request('PUT', `/api/v1/staff/users/${userId}/roles`, { token: admin, body: { roles: ['grid_worker'] } });
    expect(ok.status).toBe(200);
    expect(ok.body.roles).toEqual(['grid_worker']);
  });

  it('assigns a grid worker to a grid and removes them again', async () => {
    const grids = await api.request('GET', '/api/v1/staff/grids', { token: admin });
    const gridId = grids.body.items[0].id;
    const assigned = await api.request('PUT', `/api/v1/staff/grids/${gridId}/workers/${userId}`, { token: admin });
    expect(assigned.status).toBe(200);
    expect(assigned.body.gridIds).toEqual([gridId]);
    const listed = await api.request('GET', '/api/v1/staff/grids', { token: admin });
    expect(listed.body.items[0].workerIds).toContain(userId);
    const removed = await api.request('DELETE', `/api/v1/staff/grids/${gridId}/workers/${userId}`, { token: admin });
    expect(removed.body.gridIds).toEqual([]);
  });

  it('will not let an admin remove their own admin role', async () => {
    const res = await api.request('PUT', `/api/v1/staff/users/${adminId}/roles`, { token: admin, body: { roles: ['community_staff'] } });
    expect(res.status).toBe(409);
  });

  it('assigns a property company to a building', async () => {
    const companies = await api.request('GET', '/api/v1/staff/property-companies', { token: admin });
    expect(companies.body.items.map((c: { name: string }) => c.name)).toEqual(['金城物业服务有限公司']);
    const buildings = await api.request('GET', '/api/v1/spaces/buildings', { token: admin });
    const res = await api.request('PUT', `/api/v1/staff/buildings/${buildings.body.items[0].id}/property-company`, {
      token: admin,
      body: { propertyCompanyId: null },
    });
    expect(res.status).toBe(200);
    const after = await api.request('GET', '/api/v1/spaces/buildings', { token: admin });
    expect(after.body.items[0].propertyCompanyId).toBeNull();
    expect(after.body.items[1].propertyCompanyId).toBe(companies.body.items[0].id);
  });
});
