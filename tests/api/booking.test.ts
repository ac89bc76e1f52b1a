import mongoose from 'mongoose';
import { addDays, shanghaiDate } from '@community/shared';
import { startTestApi, type TestApi } from './support/harness';

let api: TestApi;
let admin: string;
let centre: string;
let wang: string; // resident
let zhao: string; // resident
const db = () => mongoose.connection.db!;
const oid = (id: string) => new mongoose.Types.ObjectId(id);

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  admin = (await api.loginStaff('admin')).accessToken;
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
});
afterAll(() => api.close());

/** A service open every day 08:00–20:00 in hourly slots, so tomorrow always has slots. */
async function newService(overrides: Record<string, unknown> = {}) {
  const res = await api.request('POST', '/api/v1/staff/services', {
    token: centre,
    body: {
      name: `测试事项${Math.random().toString(36).slice(2, 7)}`,
      category: 'other',
      guide: { location: '一楼大厅', materials: ['身份证'] },
      slotMinutes: 60,
      capacity: 2,
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
      ...overrides,
    },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string };
}

/** Slots at least 3 hours ahead (so the 2-hour change cutoff has not passed), or all of them. */
async function slotsOf(serviceId: string, token = wang, all = false) {
  const res = await api.request('GET', `/api/v1/services/${serviceId}/slots`, { token });
  expect(res.status).toBe(200);
  const later = (s: { startAt: string }) => all || new Date(s.startAt).getTime() > Date.now() + 3 * 3600_000;
  return (res.body.items as { startAt: string }[]).filter(later) as { id: string; seatsLeft: number; capacity: number; waitlistLength: number; startAt: string; bookable: boolean; date: string }[];
}

/** A slot placed at a chosen time, for the rules that depend on the clock. */
async function slotAt(serviceId: string, startAt: Date, minutes = 30, capacity = 2) {
  const service = await db().collection('services').findOne({ _id: oid(serviceId) });
  const { insertedId } = await db().collection('slots').insertOne({
    communityId: service!.communityId,
    serviceId: service!._id,
    date: shanghaiDate(startAt),
    startAt,
    endAt: new Date(startAt.getTime() + minutes * 60_000),
    capacity,
    seatsLeft: capacity,
    waiting: 0,
    waitSeq: 0,
  });
  return insertedId.toHexString();
}

const book = (token: string, slotId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  api.request('POST', '/api/v1/bookings', { token, body: { slotId, ...extra }, headers });

describe('catalogue and slots', () => {
  it('lists the seeded catalogue with guides and flags', async () => {
    const res = await api.request('GET', '/api/v1/services', { token: wang });
    expect(res.status).toBe(200);
    const names = res.body.items.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['社保卡申领与补换', '法律咨询（一社区一警一法律顾问）', '心理疏导', '老年人优待证办理', '居住证办理']));
    const lowIncome = res.body.items.find((s: { name: string }) => s.name === '最低生活保障申请');
    expect(lowIncome).toMatchObject({ fullAgency: true, oneWindow: true, category: 'civil_affairs' });
    expect(lowIncome.guide.materials.length).toBeGreaterThan(2);
  });

  it('generates slots from the opening hours for the booking window, skipping closed days', async () => {
    const tomorrow = addDays(shanghaiDate(new Date()), 1);
    const service = await newService({ closedDays: [{ date: tomorrow, reason: '国庆调休' }], bookingWindowDays: 3 });
    const slots = await slotsOf(service.id, wang, true);
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.some((s) => s.date === tomorrow)).toBe(false);
    expect(slots.every((s) => s.date <= addDays(shanghaiDate(new Date()), 3))).toBe(true);
    expect(slots.every((s) => s.capacity === 2 && s.seatsLeft === 2 && s.bookable)).toBe(true);
    expect(slots[0]!.startAt).toMatch(/\+08:00$/);
  });
});

describe('booking a slot', () => {
  it('When a resident books, then the booking is confirmed with a code, a deadline, and the seat count drops', async () => {
    const service = await newService();
    const [slot] = await slotsOf(service.id);
    const res = await book(wang, slot!.id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', serviceName: service.name, location: '一楼大厅', materials: ['身份证'], canChange: true });
    expect(res.body.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(new Date(res.body.startAt).getTime() - new Date(res.body.cancelDeadline).getTime()).toBe(2 * 3600_000);
    const after = (await slotsOf(service.id)).find((s) => s.id === slot!.id)!;
    expect(after.seatsLeft).toBe(1);
    const mine = await api.request('GET', '/api/v1/bookings?scope=upcoming', { token: wang });
    expect(mine.body.items.map((b: { id: string }) => b.id)).toContain(res.body.id);
  });

  it('allows one active booking per resident per slot and per service (default 1), even when tapped at once', async () => {
    const service = await newService({ capacity: 5 });
    const slots = await slotsOf(service.id);
    const results = await Promise.all(slots.slice(0, 6).map((s) => book(zhao, s.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.body.error.code === 'BOOKING_LIMIT_REACHED')).toBe(true);
    const taken = results.find((r) => r.status === 201)!.body;
    const again = await book(zhao, taken.slotId);
    expect(again.status).toBe(409);
    expect(['ALREADY_BOOKED', 'BOOKING_LIMIT_REACHED']).toContain(again.body.error.code);
  });

  it('refuses a past slot, a retired service and a slot beyond the booking window with clear codes', async () => {
    const service = await newService();
    const past = await slotAt(service.id, new Date(Date.now() - 3600_000));
    expect((await book(wang, past)).body.error.code).toBe('SLOT_PAST');
    const far = await slotAt(service.id, new Date(Date.now() + 40 * 86_400_000));
    const farRes = await book(wang, far);
    expect(farRes.status).toBe(400);
    expect(farRes.body.error.code).toBe('SLOT_OUTSIDE_WINDOW');
    const [slot] = await slotsOf(service.id);
    await api.request('POST', `/api/v1/staff/services/${service.id}/retire`, { token: centre });
    const retired = await book(wang, slot!.id);
    expect(retired.status).toBe(409);
    expect(retired.body.error.code).toBe('SERVICE_RETIRED');
  });

  it('rejects bad input with field details and changes nothing', async () => {
    const before = await db().collection('bookings').countDocuments();
    for (const body of [{ slotId: 'nope' }, { slotId: { $gt: '' } }, {}, { slotId: 'a'.repeat(24), extra: 1 }]) {
      const res = await api.request('POST', '/api/v1/bookings', { token: wang, body });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toBeDefined();
    }
    expect(await db().collection('bookings').countDocuments()).toBe(before);
  });
});

describe('capacity under load and the waitlist', () => {
  it('200 residents at a 10-seat slot: exactly 10 confirmed, 190 in line in order; 5 racing cancellations promote exactly the first 5', async () => {
    const service = await newService({ capacity: 10 });
    const [slot] = await slotsOf(service.id);
    const tokens: string[] = [];
    for (let i = 0; i < 200; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, (_, j) => api.loginWechat(`crowd-${i + j}`)));
      tokens.push(...batch.map((b) => b.accessToken));
    }
    const results = await Promise.all(tokens.map((t) => book(t, slot!.id)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const confirmed = results.filter((r) => r.body.status === 'confirmed');
    const waiting = results.filter((r) => r.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(10);
    expect(waiting).toHaveLength(190);
    expect(waiting.map((r) => r.body.waitlistPosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));

    const slotDoc = await db().collection('slots').findOne({ _id: oid(slot!.id) });
    expect(slotDoc).toMatchObject({ seatsLeft: 0, waiting: 190, waitSeq: 190 });
    const stored = await db().collection('bookings').find({ slotId: oid(slot!.id) }).toArray();
    expect(stored.filter((b) => b.status === 'confirmed')).toHaveLength(10);
    expect(new Set(stored.filter((b) => b.status === 'waitlisted').map((b) => b.waitSeq)).size).toBe(190);

    const firstFive = [...waiting].sort((a, b) => a.body.waitlistPosition - b.body.waitlistPosition).slice(0, 5).map((r) => r.body.id);
    const cancels = await Promise.all(
      confirmed.slice(0, 5).map((r) => api.request('POST', `/api/v1/bookings/${r.body.id}/cancel`, { token: tokens[results.indexOf(r)]! })),
    );
    expect(cancels.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    const after = await db().collection('bookings').find({ slotId: oid(slot!.id) }).toArray();
    const nowConfirmed = after.filter((b) => b.status === 'confirmed').map((b) => b._id.toHexString());
    expect(nowConfirmed).toHaveLength(10);
    expect(nowConfirmed).toEqual(expect.arrayContaining(firstFive));
    expect(after.filter((b) => b.status === 'waitlisted')).toHaveLength(185);
    expect(await db().collection('slots').findOne({ _id: oid(slot!.id) })).toMatchObject({ seatsLeft: 0, waiting: 185 });

    // The promoted are told, in the inbox.
    const promotedToken = tokens[results.findIndex((r) => r.body.id === firstFive[0])]!;
    const inbox = await api.request('GET', '/api/v1/inbox', { token: promotedToken });
    expect(inbox.body.items[0]).toMatchObject({ title: '候补成功', read: false });
    expect((await api.request('GET', '/api/v1/inbox/unread-count', { token: promotedToken })).body.unread).toBe(1);
  }, 120_000);
});

describe('Idempotency-Key', () => {
  it('returns the first result for a repeated booking, and refuses the key for another request', async () => {
    const service = await newService();
    const [s1, s2] = await slotsOf(service.id);
    const resident = (await api.loginWechat('idem-resident')).accessToken;
    const key = { 'Idempotency-Key': 'book-once-123456' };
    const [a, b] = await Promise.all([book(resident, s1!.id, {}, key), book(resident, s1!.id, {}, key)]);
    const statuses = [a.status, b.status].sort();
    // Either the repeat waited for the first result, or it arrived while the first was still running.
    expect(statuses[0]).toBe(201);
    const replay = await book(resident, s1!.id, {}, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe((a.status === 201 ? a : b).body.id);
    expect(await db().collection('bookings').countDocuments({ residentId: oid((await api.loginWechat('idem-resident')).user.id) })).toBe(1);
    const reused = await book(resident, s2!.id, {}, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const cancelKey = { 'Idempotency-Key': 'cancel-once-123456' };
    const c1 = await api.request('POST', `/api/v1/bookings/${replay.body.id}/cancel`, { token: resident, headers: cancelKey });
    const c2 = await api.request('POST', `/api/v1/bookings/${replay.body.id}/cancel`, { token: resident, headers: cancelKey });
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c2.body).toEqual(c1.body);
  });
});

describe('cancel, reschedule, deadlines and privacy', () => {
  it('cancels before the cutoff; after it, says whom to call', async () => {
    const service = await newService();
    const soon = await slotAt(service.id, new Date(Date.now() + 3600_000));
    const resident = (await api.loginWechat('late-canceller')).accessToken;
    const booking = await book(resident, soon);
    expect(booking.status).toBe(201);
    expect(booking.body.canChange).toBe(false);
    const late = await api.request('POST', `/api/v1/bookings/${booking.body.id}/cancel`, { token: resident });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CHANGE_TOO_LATE');
    expect(late.body.error.message).toContain('0936-0000000');
  });

  it('reschedules to another slot with seats, freeing the old seat', async () => {
    const service = await newService();
    const [s1, s2] = await slotsOf(service.id);
    const resident = (await api.loginWechat('rescheduler')).accessToken;
    const first = await book(resident, s1!.id);
    const moved = await api.request('POST', `/api/v1/bookings/${first.body.id}/reschedule`, { token: resident, body: { slotId: s2!.id } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'confirmed', slotId: s2!.id });
    const old = await api.request('GET', `/api/v1/bookings/${first.body.id}`, { token: resident });
    expect(old.body.status).toBe('cancelled');
    expect(old.body.history.at(-1).note).toMatch(/已改约到/);
    const slots = await slotsOf(service.id);
    expect(slots.find((s) => s.id === s1!.id)!.seatsLeft).toBe(2);
    expect(slots.find((s) => s.id === s2!.id)!.seatsLeft).toBe(1);
    // The quota ticket moved with it: a further booking of the service is still refused.
    expect((await book(resident, slots[2]!.id)).body.error.code).toBe('BOOKING_LIMIT_REACHED');
  });

  it('hides one resident bookings from another (404 for read, cancel and rating)', async () => {
    const service = await newService();
    const [slot] = await slotsOf(service.id);
    const owner = (await api.loginWechat('private-owner')).accessToken;
    const other = (await api.loginWechat('private-other')).accessToken;
    const booking = await book(owner, slot!.id);
    for (const [method, path, body] of [
      ['GET', `/api/v1/bookings/${booking.body.id}`, undefined],
      ['POST', `/api/v1/bookings/${booking.body.id}/cancel`, undefined],
      ['POST', `/api/v1/bookings/${booking.body.id}/rating`, { level: 1 }],
    ] as const) {
      const res = await api.request(method, path, { token: other, body });
      expect(res.status).toBe(404);
    }
    expect((await api.request('GET', `/api/v1/bookings/${booking.body.id}`, { token: owner })).body.status).toBe('confirmed');
  });
});

describe('at the window', () => {
  it('staff book for a resident (代约): recorded, and the resident is told; a resident cannot book for another', async () => {
    const service = await newService();
    const [slot] = await slotsOf(service.id);
    const elder = await api.loginWechat('demo-elder-liu');
    const res = await book(centre, slot!.id, { forResidentId: elder.user.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ residentId: elder.user.id, actedByName: '孙晓燕' });
    expect(res.body.history[0].byName).toBe('孙晓燕（代约）');
    const inbox = await api.request('GET', '/api/v1/inbox', { token: elder.accessToken });
    expect(inbox.body.items[0].title).toBe('有人为您预约了服务');
    const mine = await api.request('GET', `/api/v1/bookings/${res.body.id}`, { token: elder.accessToken });
    expect(mine.status).toBe(200);
    const sneaky = await book(wang, slot!.id, { forResidentId: elder.user.id });
    expect(sneaky.status).toBe(403);
    expect(sneaky.body.error.code).toBe('ACTING_NOT_ALLOWED');
  });

  it('checks a booking in by its code on the day, then the resident rates it; a poor rating opens a follow-up', async () => {
    const service = await newService();
    const slot = await slotAt(service.id, new Date(Date.now() + 120_000));
    const resident = (await api.loginWechat('rater')).accessToken;
    const booking = await book(resident, slot);
    expect((await api.request('POST', `/api/v1/bookings/${booking.body.id}/rating`, { token: resident, body: { level: 5 } })).body.error.code).toBe(
      'RATING_NOT_ALLOWED',
    );
    const wrong = await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: 'ZZZZZZ' } });
    expect(wrong.status).toBe(404);
    const checked = await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: booking.body.code.toLowerCase() } });
    expect(checked.status).toBe(200);
    expect(checked.body.status).toBe('checked_in');
    const twice = await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: booking.body.code } });
    expect(twice.status).toBe(409);
    const today = await api.request('GET', '/api/v1/staff/bookings', { token: centre });
    expect(today.body.error).toBeUndefined();
    expect(today.body.items.map((b: { id: string }) => b.id)).toContain(booking.body.id);

    const rated = await api.request('POST', `/api/v1/bookings/${booking.body.id}/rating`, { token: resident, body: { level: 2, comment: '等了很久' } });
    expect(rated.status).toBe(200);
    expect(rated.body.rating).toEqual({ level: 2, comment: '等了很久' });
    expect(await db().collection('booking_follow_ups').countDocuments({ bookingId: oid(booking.body.id), status: 'open' })).toBe(1);
    const again = await api.request('POST', `/api/v1/bookings/${booking.body.id}/rating`, { token: resident, body: { level: 5 } });
    expect(again.body.error.code).toBe('ALREADY_RATED');
  });

  it('refuses to check in a booking of another day, and marks no-shows only after the slot ends', async () => {
    const service = await newService();
    const [tomorrowSlot] = (await slotsOf(service.id)).filter((s) => s.date > shanghaiDate(new Date()));
    const resident = (await api.loginWechat('no-show')).accessToken;
    const booking = await book(resident, tomorrowSlot!.id);
    const notToday = await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: booking.body.code } });
    expect(notToday.body.error.code).toBe('CHECK_IN_NOT_TODAY');
    const early = await api.request('POST', `/api/v1/staff/bookings/${booking.body.id}/no-show`, { token: centre });
    expect(early.body.error.code).toBe('NO_SHOW_TOO_EARLY');
    await db().collection('bookings').updateOne({ _id: oid(booking.body.id) }, { $set: { endAt: new Date(Date.now() - 60_000) } });
    const marked = await api.request('POST', `/api/v1/staff/bookings/${booking.body.id}/no-show`, { token: centre });
    expect(marked.status).toBe(200);
    expect(marked.body.status).toBe('no_show');
  });

  it('is for centre staff only', async () => {
    expect((await api.request('GET', '/api/v1/staff/bookings', { token: wang })).status).toBe(403);
    expect((await api.request('POST', '/api/v1/staff/services', { token: wang, body: {} })).status).toBe(403);
    expect((await api.request('GET', '/api/v1/staff/services', { token: admin })).status).toBe(200);
  });
});
