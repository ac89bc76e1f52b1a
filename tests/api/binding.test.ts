import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
let newcomer: string;
let centre: string;
let grid1: string;
let grid3: string;
let room301: string; // 1号楼 1单元 301, first grid
let room101: string; // 1号楼 1单元 101

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  newcomer = (await api.loginWechat('demo-newcomer-chen')).accessToken;
  centre = (await api.loginStaff('centre')).accessToken;
  grid1 = (await api.loginStaff('grid1')).accessToken;
  grid3 = (await api.loginStaff('grid3')).accessToken;
  const buildings = await api.request('GET', '/api/v1/spaces/buildings', { token: newcomer });
  const b1 = buildings.body.items.find((b: { name: string }) => b.name === '1号楼');
  const units = await api.request('GET', `/api/v1/spaces/buildings/${b1.id}/units`, { token: newcomer });
  const rooms = await api.request('GET', `/api/v1/spaces/units/${units.body.items[0].id}/rooms`, { token: newcomer });
  room301 = rooms.body.items.find((r: { number: string }) => r.number === '301').id;
  room101 = rooms.body.items.find((r: { number: string }) => r.number === '101').id;
});
afterAll(() => api.close());

const bindingsCount = () => mongoose.connection.db!.collection('bindings').countDocuments({});

describe('pickers', () => {
  it('lists 12 buildings in order, their units and rooms with exact areas', async () => {
    const buildings = await api.request('GET', '/api/v1/spaces/buildings', { token: newcomer });
    expect(buildings.body.items.map((b: { name: string }) => b.name)).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}号楼`));
    expect(buildings.body.items[0].unitCount).toBe(2);
    const units = await api.request('GET', `/api/v1/spaces/buildings/${buildings.body.items[0].id}/units`, { token: newcomer });
    const rooms = await api.request('GET', `/api/v1/spaces/units/${units.body.items[0].id}/rooms`, { token: newcomer });
    expect(rooms.body.items).toHaveLength(25);
    for (const room of rooms.body.items) expect(Number.isInteger(room.areaCentiSquareMetres)).toBe(true);
  });

  it('When an id is not an id, then 400 with the field named', async () => {
    const res = await api.request('GET', '/api/v1/spaces/units/not-an-id/rooms', { token: newcomer });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields['params.unitId']).toBeDefined();
  });
});

describe('a resident asks to be bound to a room, staff decide', () => {
  let bindingId: string;

  it('When the request is valid, then it waits for review and shows in 我的房屋 and /me', async () => {
    const res = await api.request('POST', '/api/v1/bindings', {
      token: newcomer,
      body: { roomId: room301, relation: 'family', realName: '陈静', note: '王秀英的外甥女' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', roomLabel: '1号楼 1单元 301', relation: 'family', via: 'request' });
    bindingId = res.body.id;
    const mine = await api.request('GET', '/api/v1/bindings/mine', { token: newcomer });
    expect(mine.body.items.map((b: { id: string }) => b.id)).toContain(bindingId);
    const me = await api.request('GET', '/api/v1/me', { token: newcomer });
    expect(me.body.rooms).toEqual([expect.objectContaining({ bindingId, status: 'pending', label: '1号楼 1单元 301' })]);
  });

  it('When the same person asks for the same room again, or twice at once, then 409 and one request stays', async () => {
    const before = await bindingsCount();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.request('POST', '/api/v1/bindings', { token: newcomer, body: { roomId: room301, relation: 'family', realName: '陈静' } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(409));
    expect(results[0]!.body.error.code).toBe('BINDING_EXISTS');
    expect(await bindingsCount()).toBe(before);
  });

  it.each([
    ['body.roomId', { roomId: 'x', relation: 'family', realName: '陈静' }],
    ['body.roomId', { relation: 'family', realName: '陈静' }],
    ['body.relation', { roomId: 'a'.repeat(24), relation: 'landlord', realName: '陈静' }],
    ['body.realName', { roomId: 'a'.repeat(24), relation: 'family', realName: '' }],
    ['body.realName', { roomId: 'a'.repeat(24), relation: 'family', realName: '陈'.repeat(100_000) }],
    ['body.roomId', { roomId: { $ne: null }, relation: 'family', realName: '陈静' }],
    ['body.status', { roomId: 'a'.repeat(24), relation: 'family', realName: '陈静', status: 'approved' }],
  ])('When the body is bad in %s (case %#), then 400 names it and nothing is written', async (field, body) => {
    const before = await bindingsCount();
    const res = await api.request('POST', '/api/v1/bindings', { token: newcomer, body });
    expect([400, 413]).toContain(res.status);
    if (res.status === 400) expect(Object.keys(res.body.error.details.fields)).toContain(field);
    expect(await bindingsCount()).toBe(before);
  });

  it('When the room does not exist, then 404', async () => {
    const res = await api.request('POST', '/api/v1/bindings', {
      token: newcomer,
      body: { roomId: 'a'.repeat(24), relation: 'family', realName: '陈静' },
    });
    expect(res.status).toBe(404);
  });

  it('shows the request to the grid worker of that grid, not to another grid', async () => {
    const own = await api.request('GET', '/api/v1/staff/bindings?status=pending', { token: grid1 });
    expect(own.body.items.map((b: { id: string }) => b.id)).toContain(bindingId);
    const other = await api.request('GET', '/api/v1/staff/bindings?status=pending', { token: grid3 });
    expect(other.body.items.map((b: { id: string }) => b.id)).not.toContain(bindingId);
    // Out of reach reads as not found: another grid's ids are not confirmed to exist.
    const touch = await api.request('POST', `/api/v1/staff/bindings/${bindingId}/approve`, { token: grid3 });
    expect(touch.status).toBe(404);
  });

  it('When two staff approve at once, then one wins and the other hears it was already decided', async () => {
    const [a, b] = await Promise.all([
      api.request('POST', `/api/v1/staff/bindings/${bindingId}/approve`, { token: centre }),
      api.request('POST', `/api/v1/staff/bindings/${bindingId}/approve`, { token: grid1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('BINDING_ALREADY_DECIDED');
    const me = await api.request('GET', '/api/v1/me', { token: newcomer });
    expect(me.body.roles).toEqual(['resident']);
    expect(me.body.displayName).toBe('陈静');
    expect(me.body.rooms[0]).toMatchObject({ status: 'approved', relation: 'family' });
  });

  it('When staff reject, then the reason is required, kept, and shown to the resident; they may ask again', async () => {
    const ask = await api.request('POST', '/api/v1/bindings', {
      token: newcomer,
      body: { roomId: room101, relation: 'owner', realName: '陈静' },
    });
    expect(ask.status).toBe(201);
    const noReason = await api.request('POST', `/api/v1/staff/bindings/${ask.body.id}/reject`, { token: centre, body: {} });
    expect(noReason.status).toBe(400);
    const rejected = await api.request('POST', `/api/v1/staff/bindings/${ask.body.id}/reject`, {
      token: centre,
      body: { reason: '登记的业主不是您，请带房产证到服务中心' },
    });
    expect(rejected.status).toBe(200);
    const mine = await api.request('GET', '/api/v1/bindings/mine', { token: newcomer });
    expect(mine.body.items.find((b: { id: string }) => b.id === ask.body.id)).toMatchObject({
      status: 'rejected',
      reason: '登记的业主不是您，请带房产证到服务中心',
    });
    const me = await api.request('GET', '/api/v1/me', { token: newcomer });
    expect(me.body.roles).not.toContain('owner');
    const again = await api.request('POST', '/api/v1/bindings', {
      token: newcomer,
      body: { roomId: room101, relation: 'tenant', realName: '陈静' },
    });
    expect(again.status).toBe(201);
  });

  it('lets a resident see only their own bindings', async () => {
    const other = (await api.loginWechat('demo-tenant-zhao')).accessToken;
    const mine = await api.request('GET', '/api/v1/bindings/mine', { token: other });
    expect(mine.body.items.every((b: { realName: string }) => b.realName === '赵磊')).toBe(true);
  });
});

describe('invitation codes', () => {
  it('When staff issue a code, then a resident redeems it once and is bound at once', async () => {
    const issued = await api.request('POST', '/api/v1/staff/invitations', {
      token: centre,
      body: { roomId: room101, relation: 'family', realName: '周小红', validDays: 3 },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.code).toMatch(/^[A-Z2-9]{8}$/);
    const first = (await api.loginWechat('invited-1')).accessToken;
    const second = (await api.loginWechat('invited-2')).accessToken;
    const [a, b] = await Promise.all([
      api.request('POST', '/api/v1/bindings/redeem', { token: first, body: { code: issued.body.code.toLowerCase() } }),
      api.request('POST', '/api/v1/bindings/redeem', { token: second, body: { code: issued.body.code } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    const winner = a.status === 201 ? first : second;
    const me = await api.request('GET', '/api/v1/me', { token: winner });
    expect(me.body.rooms[0]).toMatchObject({ status: 'approved', label: '1号楼 1单元 101' });
    const loserToken = a.status === 201 ? second : first;
    const loser = await api.request('GET', '/api/v1/bindings/mine', { token: loserToken });
    expect(loser.body.items).toEqual([]);
  });

  it('When the code is wrong, then 400 INVITATION_INVALID', async () => {
    const res = await api.request('POST', '/api/v1/bindings/redeem', { token: newcomer, body: { code: 'ABCDEFGH' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVITATION_INVALID');
  });
});
