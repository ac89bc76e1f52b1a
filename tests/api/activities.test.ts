import mongoose from 'mongoose';
import { activityBody, createActivity, signUpFor } from './support/activities';
import { startTestApi, type TestApi } from './support/harness';
import { oid, ownersOf } from './support/polls';

/**
 * A1–A3, A6 over HTTP: 100 residents racing for 20 places, FIFO promotion once
 * per freed place, on-site scans refused outside the window / with a retired
 * poster / from someone not signed up, hours capped and never negative, and
 * ledgers whose balances are the sums of their entries.
 */
let api: TestApi;
let centre: string;
let wang: string;
let li: string;
const db = () => mongoose.connection.db!;
const HOUR = 3600_000;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  li = (await api.loginWechat('demo-family-li')).accessToken;
}, 60_000);
afterAll(() => api.close());

const newActivity = (overrides: Record<string, unknown> = {}) => createActivity(api, centre, overrides);
const signUp = (token: string, activityId: string, body: Record<string, unknown> = {}) => signUpFor(api, token, activityId, body);

/** Moves the activity so that it is running now (the scans depend on the clock; the sign-ups happened before). */
async function startNow(activityId: string, startedMinutesAgo: number, lastsMinutes: number) {
  const startAt = new Date(Date.now() - startedMinutesAgo * 60_000);
  await db().collection('activities').updateOne(
    { _id: oid(activityId) },
    { $set: { startAt, endAt: new Date(startAt.getTime() + lastsMinutes * 60_000), signupClosesAt: new Date(startAt.getTime() - 60_000) } },
  );
}

describe('publishing an activity', () => {
  it.each([
    ['no title', { title: '' }, 'title'],
    ['a title of the wrong type', { title: 9 }, 'title'],
    ['ending before it starts', { endAt: new Date(Date.now() + 47 * 3600_000).toISOString() }, 'endAt'],
    ['sign-up closing after the start', { signupClosesAt: new Date(Date.now() + 49 * 3600_000).toISOString() }, 'signupClosesAt'],
    ['a capacity of 0', { capacity: 0 }, 'capacity'],
    ['an unknown type', { type: 'party' }, 'type'],
  ])('refuses %s with a Chinese message', async (_what, overrides, field) => {
    const before = await db().collection('activities').countDocuments();
    const res = await api.request('POST', '/api/v1/staff/activities', { token: centre, body: activityBody(overrides) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain(field);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await db().collection('activities').countDocuments()).toBe(before);
  });

  it('is for organisers only', async () => {
    expect((await api.request('POST', '/api/v1/staff/activities', { token: wang, body: activityBody() })).status).toBe(403);
  });
});

describe('100 residents for 20 places', () => {
  let activityId: string;
  let people: { token: string; userId: string }[];

  beforeAll(async () => {
    activityId = (await newActivity()).id;
    const rooms = await db().collection('rooms').find({ label: /^(2|3|4)号楼/ }).sort({ _id: 1 }).limit(100).toArray();
    people = await ownersOf(api, rooms, 'volunteer');
  }, 120_000);

  it('gives exactly 20 places and a line of 80 in order; nobody signs up twice', async () => {
    const results = await Promise.all(people.flatMap((p, i) => (i < 10 ? [signUp(p.token, activityId), signUp(p.token, activityId)] : [signUp(p.token, activityId)])));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(100);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_SIGNED_UP')).toBe(true);
    expect(ok.filter((r) => r.body.status === 'confirmed')).toHaveLength(20);
    expect(await db().collection('activity_seats').countDocuments({ activityId: oid(activityId) })).toBe(20);
    const line = await db().collection('activity_signups').find({ activityId: oid(activityId), status: 'waitlisted' }).sort({ waitSeq: 1 }).toArray();
    expect(line).toHaveLength(80);
    expect(new Set(line.map((s) => s.waitSeq)).size).toBe(80);
    const view = (await api.request('GET', `/api/v1/activities/${activityId}`, { token: people[0]!.token })).body;
    expect(view).toMatchObject({ seatsLeft: 0, waiting: 80 });
  });

  it('two racing cancellations promote exactly the first two in line', async () => {
    const line = await db().collection('activity_signups').find({ activityId: oid(activityId), status: 'waitlisted' }).sort({ waitSeq: 1 }).toArray();
    const confirmed = await db().collection('activity_signups').find({ activityId: oid(activityId), status: 'confirmed' }).limit(2).toArray();
    const tokenOf = (residentId: mongoose.Types.ObjectId) => people.find((p) => p.userId === residentId.toHexString())!.token;
    const [a, b] = await Promise.all(confirmed.map((s) => api.request('POST', `/api/v1/activities/signups/${s._id.toHexString()}/cancel`, { token: tokenOf(s.residentId) })));
    expect([a!.status, b!.status]).toEqual([200, 200]);
    const promoted = await db().collection('activity_signups').find({ _id: { $in: [line[0]!._id, line[1]!._id] } }).toArray();
    expect(promoted.map((s) => s.status)).toEqual(['confirmed', 'confirmed']);
    expect((await db().collection('activity_signups').findOne({ _id: line[2]!._id }))!.status).toBe('waitlisted');
    expect(await db().collection('activity_seats').countDocuments({ activityId: oid(activityId) })).toBe(20);
    const third = (await api.request('GET', `/api/v1/activities/${activityId}`, { token: tokenOf(line[2]!.residentId) })).body;
    expect(third.mySignup).toMatchObject({ status: 'waitlisted', waitPosition: 1 });
    const told = await db().collection('inbox_messages').countDocuments({ userId: line[0]!.residentId, title: '候补成功' });
    expect(told).toBe(1);
  });

  it('refuses a sign-up outside its window and a cancel after the cutoff', async () => {
    const closed = await newActivity({ signupOpensAt: new Date(Date.now() + HOUR).toISOString() });
    const res = await signUp(wang, closed.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SIGNUP_CLOSED');

    const soon = await newActivity({ title: '敬老院探访' });
    const mine = await signUp(wang, soon.id);
    await db().collection('activities').updateOne({ _id: oid(soon.id) }, { $set: { startAt: new Date(Date.now() + 30 * 60_000) } });
    const late = await api.request('POST', `/api/v1/activities/signups/${mine.body.id}/cancel`, { token: wang });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CANCEL_TOO_LATE');
  });
});

describe('on site: scanning the poster', () => {
  let activityId: string;
  let poster: string;

  beforeAll(async () => {
    activityId = (await newActivity({ title: '垃圾分类宣传', capacity: 5 })).id;
    expect((await signUp(wang, activityId)).status).toBe(201);
    poster = (await api.request('POST', `/api/v1/staff/activities/${activityId}/poster`, { token: centre })).body.posterId;
  });

  const scan = (token: string, direction: 'check-in' | 'check-out', p = poster) =>
    api.request('POST', `/api/v1/activities/${activityId}/${direction}`, { token, body: { poster: p } });

  it('refuses a scan before the window opens', async () => {
    const res = await scan(wang, 'check-in');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SCAN_OUTSIDE_WINDOW');
  });

  it('refuses someone who did not sign up, and a photo of a retired poster', async () => {
    await startNow(activityId, 10, 60);
    const stranger = await scan(li, 'check-in');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('NOT_SIGNED_UP');
    const fresh = (await api.request('POST', `/api/v1/staff/activities/${activityId}/poster`, { token: centre })).body.posterId;
    const old = await scan(wang, 'check-in', poster);
    expect(old.status).toBe(409);
    expect(old.body.error.code).toBe('POSTER_EXPIRED');
    expect((await scan(wang, 'check-in', 'abc')).status).toBe(400);
    poster = fresh;
  });

  it('checks in, then out; the hours are capped at the activity and never negative', async () => {
    const inRes = await scan(wang, 'check-in');
    expect(inRes.status).toBe(200);
    expect(inRes.body.status).toBe('checked_in');
    expect((await scan(wang, 'check-in')).status).toBe(409);
    // Pretend the check-in happened two hours before the start and the activity ended: the cap is its 60 minutes.
    const signupId = inRes.body.id;
    await db().collection('activity_signups').updateOne({ _id: oid(signupId) }, { $set: { checkInAt: new Date(Date.now() - 3 * HOUR) } });
    await startNow(activityId, 70, 60); // ended 10 minutes ago, inside the 30-minute grace
    const out = await scan(wang, 'check-out');
    expect(out.status).toBe(200);
    expect(out.body.scannedMinutes).toBe(60);
    expect((await scan(wang, 'check-out')).status).toBe(409);
  });

  it('the organiser confirms, adjusts with a reason (never below zero), and the ledgers add up', async () => {
    const attendance = (await api.request('GET', `/api/v1/staff/activities/${activityId}/attendance`, { token: centre })).body.items;
    const signupId = attendance.find((s: { residentName: string }) => s.residentName === '王秀英').id;
    const noReason = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId, minutes: 30 }] } });
    expect(noReason.status).toBe(400);
    const negative = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId, minutes: -5, reason: '扣除' }] } });
    expect(negative.status).toBe(400);

    const confirm = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId }] } });
    expect(confirm.status).toBe(200);
    expect(confirm.body.items[0].confirmedMinutes).toBe(60);
    const again = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId }] } });
    expect(again.status).toBe(200);
    const adjust = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId, minutes: 45, reason: '中途离开15分钟' }] } });
    expect(adjust.body.items[0].confirmedMinutes).toBe(45);

    const me = (await api.request('GET', '/api/v1/volunteers/me', { token: wang })).body;
    expect(me.minutes).toBe(45);
    expect(me.hoursLedger.map((e: { amount: number }) => e.amount).sort()).toEqual([-15, 60].sort());
    expect(me.hoursLedger.some((e: { reason: string }) => e.reason === '中途离开15分钟')).toBe(true);
    // 10 points an hour: 10 for the hour, then −3 (round(7.5) − 10).
    const wangId = (await api.request('GET', '/api/v1/me', { token: wang })).body.id;
    const points = await db().collection('volunteer_points').find({ userId: oid(wangId) }).toArray();
    expect(me.points).toBe(points.reduce((s, e) => s + e.amount, 0));
    expect(me.points).toBe(Math.round((45 * 10) / 60));
    const hours = await db().collection('volunteer_hours').find({ userId: oid(wangId) }).toArray();
    expect(me.minutes).toBe(hours.reduce((s, e) => s + e.amount, 0));

    const board = (await api.request('GET', '/api/v1/leaderboard?period=month', { token: li })).body;
    expect(board.items[0]).toMatchObject({ rank: 1, name: '王*英', minutes: 45, mine: false });
    expect(JSON.stringify(board)).not.toContain('王秀英');
  });
});

describe('a family member signs up an elderly relative', () => {
  it('needs 活动报名 authority; the relative is told', async () => {
    const activity = await newActivity({ title: '重阳节包饺子' });
    const wangId = (await api.request('GET', '/api/v1/me', { token: wang })).body.id;
    const liId = (await api.request('GET', '/api/v1/me', { token: li })).body.id;
    const refused = await signUp(li, activity.id, { forResidentId: wangId });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACTING_NOT_ALLOWED');
    await api.request('POST', '/api/v1/authorities', { token: wang, body: { granteeId: liId, scopes: ['signups'], days: 30 } });
    const ok = await signUp(li, activity.id, { forResidentId: wangId });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ residentName: '王秀英', actedByName: expect.any(String) });
    const told = await db().collection('inbox_messages').findOne({ userId: oid(wangId), title: '家人为您报名了活动' });
    expect(told?.body).toContain('重阳节包饺子');
    const view = (await api.request('GET', `/api/v1/activities/${activity.id}`, { token: wang })).body;
    expect(view.mySignup.status).toBe('confirmed');
  });
});

describe('the organiser’s tools', () => {
  it('the scan page needs only the poster: first scan in, second out; the poster image comes from WeChat', async () => {
    const activity = await newActivity({ title: '文明交通劝导', capacity: 3 });
    await signUp(wang, activity.id);
    const { posterId, page } = (await api.request('POST', `/api/v1/staff/activities/${activity.id}/poster`, { token: centre })).body;
    expect(page).toBe(`volunteer/scan/index?p=${posterId}`);
    const image = await fetch(`${api.baseUrl}/api/v1/staff/activities/${activity.id}/poster/code.png`, { headers: { Authorization: `Bearer ${centre}` } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    await startNow(activity.id, 5, 60);
    const first = await api.request('POST', '/api/v1/activities/scan', { token: wang, body: { poster: posterId } });
    expect(first.body).toMatchObject({ direction: 'in', status: 'checked_in' });
    const second = await api.request('POST', '/api/v1/activities/scan', { token: wang, body: { poster: posterId } });
    expect(second.body).toMatchObject({ direction: 'out', status: 'checked_out' });
    expect(second.body.scannedMinutes).toBeGreaterThanOrEqual(0);
  });

  it('exports the roster; cancelling tells everyone signed up', async () => {
    const activity = await newActivity({ title: '社区运动会' });
    await signUp(wang, activity.id);
    const file = await fetch(`${api.baseUrl}/api/v1/staff/activities/${activity.id}/export`, { headers: { Authorization: `Bearer ${centre}` } });
    expect(file.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    expect(JSON.stringify(book.getWorksheet('报名与时长')!.getSheetValues())).toContain('王秀英');
    const cancelled = await api.request('POST', `/api/v1/staff/activities/${activity.id}/cancel`, { token: centre, body: { reason: '天气原因' } });
    expect(cancelled.body.status).toBe('cancelled');
    const wangId = (await api.request('GET', '/api/v1/me', { token: wang })).body.id;
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(wangId), title: '活动取消了' })).toBe(1);
    expect((await signUp(li, activity.id)).body.error.code).toBe('ACTIVITY_CANCELLED');
  });
});

describe('the volunteer profile', () => {
  it('keeps the ID number for the certificate only: every answer shows it masked; a wrong one is refused', async () => {
    const wrong = await api.request('PUT', '/api/v1/volunteers/me/profile', { token: li, body: { realName: '李建国', idNumber: '110105194912310021' } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('身份证号不正确');
    const saved = await api.request('PUT', '/api/v1/volunteers/me/profile', {
      token: li,
      body: { realName: '李建国', idNumber: '11010519491231002x', skills: ['急救', '理发'], availability: ['weekend_day'] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ realName: '李建国', idNumberMasked: '1101**********002X', skills: ['急救', '理发'], availability: ['weekend_day'] });
    // Saving again without the number keeps it.
    const again = await api.request('PUT', '/api/v1/volunteers/me/profile', { token: li, body: { realName: '李建国', skills: [] } });
    expect(again.body.idNumberMasked).toBe('1101**********002X');
    const read = await api.request('GET', '/api/v1/volunteers/me/profile', { token: li });
    expect(JSON.stringify(read.body)).not.toContain('11010519491231002X');
    expect((await api.request('GET', '/api/v1/volunteers/me/profile', { token: wang })).body.profile).toBeNull();
  });
});
