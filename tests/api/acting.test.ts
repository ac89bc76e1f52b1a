import { startTestApi, type TestApi } from './support/harness';

/** S5: a resident authorises family or their grid worker; acts are recorded and announced. */
let api: TestApi;
let wang: Awaited<ReturnType<TestApi['loginWechat']>>; // owner, 1号楼 1单元 301
let li: Awaited<ReturnType<TestApi['loginWechat']>>; // family member bound to 301
let zhao: Awaited<ReturnType<TestApi['loginWechat']>>; // tenant elsewhere
let slotIds: string[];

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  wang = await api.loginWechat('demo-owner-wang');
  li = await api.loginWechat('demo-family-li');
  zhao = await api.loginWechat('demo-tenant-zhao');
  const services = await api.request('GET', '/api/v1/services', { token: wang.accessToken });
  const card = services.body.items.find((s: { name: string }) => s.name === '社保卡申领与补换');
  const slots = await api.request('GET', `/api/v1/services/${card.id}/slots`, { token: wang.accessToken });
  slotIds = slots.body.items.filter((s: { startAt: string }) => new Date(s.startAt).getTime() > Date.now() + 3 * 3600_000).map((s: { id: string }) => s.id);
});
afterAll(() => api.close());

it('offers household members and the grid worker as people to authorise, nobody else', async () => {
  const res = await api.request('GET', '/api/v1/authorities/candidates', { token: wang.accessToken });
  expect(res.status).toBe(200);
  const names = res.body.items.map((c: { name: string; relation: string }) => `${c.name}:${c.relation}`);
  expect(names).toEqual(expect.arrayContaining(['李建国:family', '周海涛:grid_worker']));
  expect(names.some((n: string) => n.startsWith('赵磊'))).toBe(false);
  const stranger = await api.request('POST', '/api/v1/authorities', {
    token: wang.accessToken,
    body: { granteeId: zhao.user.id, scopes: ['bookings'], days: 30 },
  });
  expect(stranger.status).toBe(400);
});

it('without authority a family member cannot book for the resident; with it they can, and the resident is told', async () => {
  const before = await api.request('POST', '/api/v1/bookings', { token: li.accessToken, body: { slotId: slotIds[0], forResidentId: wang.user.id } });
  expect(before.status).toBe(403);
  expect(before.body.error.code).toBe('ACTING_NOT_ALLOWED');

  const granted = await api.request('POST', '/api/v1/authorities', {
    token: wang.accessToken,
    body: { granteeId: li.user.id, scopes: ['bookings'], days: 30 },
  });
  expect(granted.status).toBe(201);
  expect(granted.body).toMatchObject({ grantorName: '王秀英', granteeName: '李建国', active: true });
  const liInbox = await api.request('GET', '/api/v1/inbox', { token: li.accessToken });
  expect(liInbox.body.items[0].title).toBe('您收到一份代办授权');

  const booked = await api.request('POST', '/api/v1/bookings', { token: li.accessToken, body: { slotId: slotIds[0], forResidentId: wang.user.id } });
  expect(booked.status).toBe(201);
  expect(booked.body).toMatchObject({ residentId: wang.user.id, actedByName: '李建国' });
  const inbox = await api.request('GET', '/api/v1/inbox', { token: wang.accessToken });
  expect(inbox.body.items[0]).toMatchObject({ title: '有人为您预约了服务' });
  expect(inbox.body.items[0].body).toContain('李建国');
  const mine = await api.request('GET', '/api/v1/bookings', { token: wang.accessToken });
  expect(mine.body.items.map((b: { id: string }) => b.id)).toContain(booked.body.id);

  // Revoked: no more acting.
  const revoked = await api.request('POST', `/api/v1/authorities/${granted.body.id}/revoke`, { token: wang.accessToken });
  expect(revoked.body.active).toBe(false);
  const after = await api.request('POST', '/api/v1/bookings', { token: li.accessToken, body: { slotId: slotIds[1], forResidentId: wang.user.id } });
  expect(after.status).toBe(403);
  // Only the grantor can revoke.
  expect((await api.request('POST', `/api/v1/authorities/${granted.body.id}/revoke`, { token: li.accessToken })).status).toBe(404);
});

it('an authority for votes only does not allow bookings', async () => {
  const granted = await api.request('POST', '/api/v1/authorities', {
    token: wang.accessToken,
    body: { granteeId: li.user.id, scopes: ['votes'], days: 7 },
  });
  expect(granted.status).toBe(201);
  const res = await api.request('POST', '/api/v1/bookings', { token: li.accessToken, body: { slotId: slotIds[2], forResidentId: wang.user.id } });
  expect(res.status).toBe(403);
});

it('staff find a resident by name or room for booking at the window', async () => {
  const centre = (await api.loginStaff('centre')).accessToken;
  const byName = await api.request('GET', `/api/v1/staff/residents?q=${encodeURIComponent('刘桂')}`, { token: centre });
  expect(byName.body.items).toEqual([expect.objectContaining({ name: '刘桂兰', rooms: ['5号楼 1单元 201'] })]);
  const byRoom = await api.request('GET', `/api/v1/staff/residents?q=${encodeURIComponent('9号楼 2单元')}`, { token: centre });
  expect(byRoom.body.items.map((r: { name: string }) => r.name)).toContain('赵磊');
  const injection = await api.request('GET', `/api/v1/staff/residents?q=${encodeURIComponent('.*')}`, { token: centre });
  expect(injection.body.items).toEqual([]);
});

it('a new grant replaces the old one, and one 收回 ends every grant to that person, even two granted at once', async () => {
  const body = { granteeId: li.user.id, scopes: ['bookings'], days: 7 };
  const [a, b] = await Promise.all([
    api.request('POST', '/api/v1/authorities', { token: wang.accessToken, body }),
    api.request('POST', '/api/v1/authorities', { token: wang.accessToken, body }),
  ]);
  expect([a.status, b.status]).toEqual([201, 201]);
  // Whichever of the two the other replaced, 收回 on either ends what is live; a second 收回 finds nothing left.
  const revoke = await api.request('POST', `/api/v1/authorities/${a.body.id}/revoke`, { token: wang.accessToken });
  expect(revoke.status).toBe(200);
  const again = await api.request('POST', `/api/v1/authorities/${b.body.id}/revoke`, { token: wang.accessToken });
  expect(again.status).toBe(409);
  const list = (await api.request('GET', '/api/v1/authorities', { token: wang.accessToken })).body;
  expect(list.given.filter((g: { active: boolean }) => g.active)).toHaveLength(0);
  const res = await api.request('POST', '/api/v1/bookings', { token: li.accessToken, body: { slotId: slotIds[3], forResidentId: wang.user.id } });
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe('ACTING_NOT_ALLOWED');
});
