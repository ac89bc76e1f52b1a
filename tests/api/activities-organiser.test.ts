import mongoose from 'mongoose';
import { toShanghaiIso } from '@community/shared';
import { createActivity, signUpFor } from './support/activities';
import { startTestApi, type TestApi } from './support/harness';
import { oid } from './support/polls';

/**
 * What organisers and volunteers met after the first round: the grace period
 * kept through an edit, the poster shown again without retiring it, cancelled
 * activities and retired rewards listed, a scan after 签退 said plainly, and
 * age limits enforced from the birth date in the ID number.
 */
let api: TestApi;
let centre: string;
let wang: string;
let li: string;
let zhao: string;
const db = () => mongoose.connection.db!;
const HOUR = 3600_000;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  li = (await api.loginWechat('demo-family-li')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
}, 60_000);
afterAll(() => api.close());

// Ten places unless said otherwise: the seat counts below are read against it.
const newActivity = (overrides: Record<string, unknown> = {}) => createActivity(api, centre, { capacity: 10, ...overrides });
const signUp = (token: string, activityId: string, body: Record<string, unknown> = {}) => signUpFor(api, token, activityId, body);
const idOf = async (token: string) => (await api.request('GET', '/api/v1/me', { token })).body.id as string;

/** A valid 居民身份证号 born on a day: region 110105, the day, sequence 002 (even: a woman), and its check character. */
function idNumberBornOn(day: string): string {
  const body = `110105${day.replace(/-/g, '')}002`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}
const setIdNumber = (token: string, realName: string, day: string) =>
  api.request('PUT', '/api/v1/volunteers/me/profile', { token, body: { realName, idNumber: idNumberBornOn(day) } });
const yearsBefore = (day: string, years: number) => `${Number(day.slice(0, 4)) - years}${day.slice(4)}`;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('editing an activity', () => {
  it('shows the grace period and keeps the one sent on edit', async () => {
    const made = await newActivity({ graceMinutes: 45 });
    const view = (await api.request('GET', `/api/v1/activities/${made.id}`, { token: centre })).body;
    expect(view.graceMinutes).toBe(45);
    const { id: _id, seatsLeft: _s, waiting: _w, status: _st, mySignup: _m, cancelledAt: _c, cancelReason: _r, ...editable } = view;
    const edited = await api.request('PUT', `/api/v1/staff/activities/${made.id}`, { token: centre, body: { ...editable, title: '楼道清理（改）' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: '楼道清理（改）', graceMinutes: 45 });
    const changed = await api.request('PUT', `/api/v1/staff/activities/${made.id}`, { token: centre, body: { ...editable, graceMinutes: 10 } });
    expect(changed.body.graceMinutes).toBe(10);
    expect((await db().collection('activities').findOne({ _id: oid(made.id) }))!.graceMinutes).toBe(10);
    const bad = await api.request('PUT', `/api/v1/staff/activities/${made.id}`, { token: centre, body: { ...editable, graceMinutes: 500 } });
    expect(bad.status).toBe(400);
    expect((await db().collection('activities').findOne({ _id: oid(made.id) }))!.graceMinutes).toBe(10);
  });
});

describe('the check-in poster', () => {
  it('can be shown again without retiring it; none before the first and none once expired', async () => {
    const made = await newActivity({ title: '文明劝导' });
    expect((await api.request('GET', `/api/v1/staff/activities/${made.id}/poster`, { token: centre })).body).toEqual({ poster: null });
    const printed = (await api.request('POST', `/api/v1/staff/activities/${made.id}/poster`, { token: centre })).body;
    const shown = await api.request('GET', `/api/v1/staff/activities/${made.id}/poster`, { token: centre });
    expect(shown.status).toBe(200);
    expect(shown.body.poster).toEqual(printed);
    // Showing it twice more changes nothing: the activity still points at the same poster.
    await api.request('GET', `/api/v1/staff/activities/${made.id}/poster`, { token: centre });
    expect((await db().collection('activities').findOne({ _id: oid(made.id) }))!.posterId).toBe(printed.posterId);
    expect(await db().collection('activity_posters').countDocuments({ activityId: oid(made.id) })).toBe(1);

    expect((await api.request('GET', `/api/v1/staff/activities/${made.id}/poster`, { token: wang })).status).toBe(403);
    await db().collection('activity_posters').updateOne({ _id: printed.posterId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await api.request('GET', `/api/v1/staff/activities/${made.id}/poster`, { token: centre })).body).toEqual({ poster: null });
  });
});

describe('what organisers took away', () => {
  it('lists cancelled activities with the reason, apart from the upcoming ones', async () => {
    const made = await newActivity({ title: '广场舞展演' });
    expect((await api.request('POST', `/api/v1/staff/activities/${made.id}/cancel`, { token: centre, body: { reason: '场地维修，改期另行通知' } })).status).toBe(200);
    const cancelled = await api.request('GET', '/api/v1/staff/activities?scope=cancelled', { token: centre });
    expect(cancelled.status).toBe(200);
    const item = cancelled.body.items.find((a: { id: string }) => a.id === made.id);
    expect(item).toMatchObject({ status: 'cancelled', cancelReason: '场地维修，改期另行通知', cancelledAt: expect.stringMatching(/\+08:00$/) });
    expect(cancelled.body.items.every((a: { status: string }) => a.status === 'cancelled')).toBe(true);
    const upcoming = (await api.request('GET', '/api/v1/staff/activities?scope=upcoming', { token: centre })).body.items;
    expect(upcoming.some((a: { id: string }) => a.id === made.id)).toBe(false);
    expect(upcoming.every((a: { status: string }) => a.status === 'published')).toBe(true);
    expect((await api.request('GET', '/api/v1/activities', { token: wang })).body.items.some((a: { id: string }) => a.id === made.id)).toBe(false);
    expect((await api.request('GET', '/api/v1/staff/activities?scope=cancelled', { token: wang })).status).toBe(403);
    const bad = await api.request('GET', '/api/v1/staff/activities?scope=deleted', { token: centre });
    expect(bad.status).toBe(400);
  });

  it('retires a reward: off the shelf, listed as retired, a code given before still handed over', async () => {
    const made = (await api.request('POST', '/api/v1/staff/rewards', { token: centre, body: { title: '环保布袋', pointsPrice: 5, stock: 3 } })).body;
    const wangId = await idOf(wang);
    const user = await db().collection('users').findOne({ _id: oid(wangId) });
    await db().collection('volunteer_points').insertOne({ _id: `test:${wangId}:retire` as never, communityId: user!.communityId, userId: oid(wangId), amount: 20, reason: '测试', byId: oid(wangId), byName: '测试', at: new Date() });
    const redeemed = await api.request('POST', `/api/v1/rewards/${made.id}/redeem`, { token: wang });
    expect(redeemed.status).toBe(201);

    expect((await api.request('POST', `/api/v1/staff/rewards/${made.id}/retire`, { token: wang })).status).toBe(403);
    const retired = await api.request('POST', `/api/v1/staff/rewards/${made.id}/retire`, { token: centre });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ id: made.id, status: 'retired', left: 2 });
    const twice = await api.request('POST', `/api/v1/staff/rewards/${made.id}/retire`, { token: centre });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('这件物品已经下架了');

    const shelf = (await api.request('GET', '/api/v1/staff/rewards', { token: centre })).body.items;
    expect(shelf.some((r: { id: string }) => r.id === made.id)).toBe(false);
    const off = (await api.request('GET', '/api/v1/staff/rewards?status=retired', { token: centre })).body.items;
    expect(off.map((r: { id: string }) => r.id)).toContain(made.id);
    expect((await api.request('GET', '/api/v1/rewards', { token: wang })).body.items.some((r: { id: string }) => r.id === made.id)).toBe(false);

    const pointsBefore = (await api.request('GET', '/api/v1/volunteers/me', { token: wang })).body.points;
    const late = await api.request('POST', `/api/v1/rewards/${made.id}/redeem`, { token: wang });
    expect(late.status).toBe(404);
    expect((await api.request('GET', '/api/v1/volunteers/me', { token: wang })).body.points).toBe(pointsBefore);
    const handed = await api.request('POST', '/api/v1/staff/rewards/handover', { token: centre, body: { code: redeemed.body.pickupCode } });
    expect(handed.status).toBe(200);
    expect(handed.body.status).toBe('handed_over');
  });
});

describe('scanning after 签退', () => {
  it('says plainly that they already checked out, and changes nothing', async () => {
    const made = await newActivity({ title: '防诈骗宣传', capacity: 3 });
    expect((await signUp(wang, made.id)).status).toBe(201);
    const { posterId } = (await api.request('POST', `/api/v1/staff/activities/${made.id}/poster`, { token: centre })).body;
    const startAt = new Date(Date.now() - 20 * 60_000);
    await db().collection('activities').updateOne({ _id: oid(made.id) }, { $set: { startAt, endAt: new Date(startAt.getTime() + HOUR), signupClosesAt: new Date(startAt.getTime() - 60_000) } });
    const scan = () => api.request('POST', '/api/v1/activities/scan', { token: wang, body: { poster: posterId } });
    expect((await scan()).body.direction).toBe('in');
    // Two taps at the exit: one checks out, the other is told it already did.
    const outs = await Promise.all([scan(), scan()]);
    expect(outs.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(outs.find((r) => r.status === 409)!.body.error.code).toBe('ALREADY_CHECKED_OUT');
    const after = await db().collection('activity_signups').findOne({ activityId: oid(made.id) });

    for (const again of [scan(), api.request('POST', `/api/v1/activities/${made.id}/check-in`, { token: wang, body: { poster: posterId } }), api.request('POST', `/api/v1/activities/${made.id}/check-out`, { token: wang, body: { poster: posterId } })]) {
      const res = await again;
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ALREADY_CHECKED_OUT');
      expect(res.body.error.message).toMatch(/^您已经在\d{1,2}月\d{1,2}日 \d{2}:\d{2}签退过了，这次活动不用再扫码。/);
      expect(res.body.error.details.checkOutAt).toBe(toShanghaiIso(after!.checkOutAt));
    }
    expect(await db().collection('activity_signups').findOne({ activityId: oid(made.id) })).toEqual(after);
  });
});

describe('age limits', () => {
  it('refuses someone whose age is unknown, saying what to do; nothing is written', async () => {
    const made = await newActivity({ title: '青年突击队', minAge: 18, maxAge: 45 });
    const before = await db().collection('activity_signups').countDocuments();
    const res = await signUp(li, made.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AGE_UNKNOWN');
    expect(res.body.error.message).toContain('18–45岁');
    expect(res.body.error.message).toContain('志愿者资料');
    expect(await db().collection('activity_signups').countDocuments()).toBe(before);

    expect((await setIdNumber(li, '李建国', '1990-03-15')).status).toBe(200);
    expect((await signUp(li, made.id)).status).toBe(201);
  });

  it('refuses someone outside the limits by the birth date in their ID number', async () => {
    const made = await newActivity({ title: '青年志愿者服务队', maxAge: 60 });
    expect((await setIdNumber(wang, '王秀英', '1949-12-31')).status).toBe(200);
    const res = await signUp(wang, made.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AGE_NOT_ALLOWED');
    expect(res.body.error.message).toMatch(/要求年龄60岁以下，您活动当天\d+岁/);
    expect(await db().collection('activity_signups').countDocuments({ activityId: oid(made.id) })).toBe(0);
    expect((await api.request('GET', `/api/v1/activities/${made.id}`, { token: wang })).body.seatsLeft).toBe(10);
  });

  it('counts a birthday on the activity’s day (Shanghai) as the new year of age', async () => {
    const made = await newActivity({ title: '老年模特队', minAge: 60 });
    const day = made.startAt.slice(0, 10);
    expect((await setIdNumber(zhao, '赵磊', dayAfter(yearsBefore(day, 60)))).status).toBe(200);
    const young = await signUp(zhao, made.id);
    expect(young.status).toBe(409);
    expect(young.body.error.message).toContain('活动当天59岁');
    expect((await setIdNumber(zhao, '赵磊', yearsBefore(day, 60))).status).toBe(200);
    expect((await signUp(zhao, made.id)).status).toBe(201);
  });

  it('checks the relative’s age when a family member signs them up', async () => {
    const made = await newActivity({ title: '青年读书会', maxAge: 40 });
    await api.request('POST', '/api/v1/authorities', { token: wang, body: { granteeId: await idOf(li), scopes: ['signups'], days: 30 } });
    const res = await signUp(li, made.id, { forResidentId: await idOf(wang) });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AGE_NOT_ALLOWED');
    expect(res.body.error.message).toContain('这位家人');
  });
});
