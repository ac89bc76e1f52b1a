import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';
import { oid, ownersOf } from './support/polls';

/** 积分超市 (A3): stock never below zero, balances never below zero, hand-over once. */
let api: TestApi;
let centre: string;
const db = () => mongoose.connection.db!;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
}, 60_000);
afterAll(() => api.close());

/** Points as the hours confirmation would have written them (the ledger is the only source of a balance). */
async function givePoints(userId: string, amount: number) {
  const user = await db().collection('users').findOne({ _id: oid(userId) });
  await db().collection('volunteer_points').insertOne({
    _id: `test:${userId}:${Math.random()}` as never,
    communityId: user!.communityId,
    userId: oid(userId),
    amount,
    reason: '测试：志愿服务时长',
    byId: oid(userId),
    byName: '测试',
    at: new Date(),
  });
}

async function newReward(stock: number, pointsPrice = 50) {
  const res = await api.request('POST', '/api/v1/staff/rewards', { token: centre, body: { title: '环保购物袋', pointsPrice, stock } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

it('50 volunteers redeeming 5 items at once: exactly 5 get one, nobody is charged for nothing', async () => {
  const rooms = await db().collection('rooms').find({ label: /^6号楼/ }).sort({ _id: 1 }).limit(50).toArray();
  const people = await ownersOf(api, rooms, 'shopper');
  for (const p of people) await givePoints(p.userId, 100);
  const rewardId = await newReward(5);
  const results = await Promise.all(people.map((p) => api.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token: p.token })));
  expect(results.filter((r) => r.status === 201)).toHaveLength(5);
  expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
  expect(await db().collection('reward_units').countDocuments({ rewardId: oid(rewardId) })).toBe(5);
  const spent = await db().collection('volunteer_points').find({ amount: -50 }).toArray();
  expect(spent).toHaveLength(5);
  const list = (await api.request('GET', '/api/v1/rewards', { token: people[0]!.token })).body.items;
  expect(list.find((r: { id: string }) => r.id === rewardId).left).toBe(0);
  // Every balance is still the sum of its entries, and none is negative.
  for (const p of people) {
    const me = (await api.request('GET', '/api/v1/volunteers/me', { token: p.token })).body;
    const entries = await db().collection('volunteer_points').find({ userId: oid(p.userId) }).toArray();
    expect(me.points).toBe(entries.reduce((s, e) => s + e.amount, 0));
    expect(me.points).toBeGreaterThanOrEqual(0);
  }
}, 120_000);

it('one volunteer tapping five times with points for two gets two (or fewer), never a negative balance', async () => {
  const rooms = await db().collection('rooms').find({ label: /^7号楼 1单元 1/ }).limit(1).toArray();
  const [p] = await ownersOf(api, rooms, 'tapper');
  await givePoints(p!.userId, 100);
  const rewardId = await newReward(10);
  const results = await Promise.all(Array.from({ length: 5 }, () => api.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token: p!.token })));
  const ok = results.filter((r) => r.status === 201).length;
  expect(ok).toBeLessThanOrEqual(2);
  expect(results.filter((r) => r.status === 409).every((r) => ['POINTS_NOT_ENOUGH', 'REDEMPTION_IN_PROGRESS'].includes(r.body.error.code))).toBe(true);
  const me = (await api.request('GET', '/api/v1/volunteers/me', { token: p!.token })).body;
  expect(me.points).toBe(100 - 50 * ok);
  expect(me.points).toBeGreaterThanOrEqual(0);
  // Tapping on, one at a time, the second item comes and the third is refused for points.
  for (let i = ok; i < 2; i++) expect((await api.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token: p!.token })).status).toBe(201);
  const broke = await api.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token: p!.token });
  expect(broke.status).toBe(409);
  expect(broke.body.error.code).toBe('POINTS_NOT_ENOUGH');
  expect(broke.body.error.message).toContain('您现在有0积分');
});

it('staff hand over by the code, once; a made-up code is refused', async () => {
  const rooms = await db().collection('rooms').find({ label: /^7号楼 2单元 1/ }).limit(1).toArray();
  const [p] = await ownersOf(api, rooms, 'collector');
  await givePoints(p!.userId, 60);
  const rewardId = await newReward(3);
  const redeemed = await api.request('POST', `/api/v1/rewards/${rewardId}/redeem`, { token: p!.token });
  const code = redeemed.body.pickupCode;
  const first = await api.request('POST', '/api/v1/staff/rewards/handover', { token: centre, body: { code: code.toLowerCase() } });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('handed_over');
  expect((await api.request('POST', '/api/v1/staff/rewards/handover', { token: centre, body: { code } })).status).toBe(409);
  expect((await api.request('POST', '/api/v1/staff/rewards/handover', { token: centre, body: { code: 'ZZZZZZZZ' } })).status).toBe(404);
  expect((await api.request('POST', '/api/v1/staff/rewards/handover', { token: p!.token, body: { code } })).status).toBe(403);
  const mine = (await api.request('GET', '/api/v1/rewards/redemptions/mine', { token: p!.token })).body.items;
  expect(mine[0]).toMatchObject({ status: 'handed_over', pickupCode: code });
});

it('refuses bad stock and prices with Chinese messages', async () => {
  for (const body of [{ title: '袋子', pointsPrice: 0, stock: 1 }, { title: '袋子', pointsPrice: 10, stock: -1 }, { title: '袋子', pointsPrice: '10', stock: 1 }]) {
    const res = await api.request('POST', '/api/v1/staff/rewards', { token: centre, body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  }
});
