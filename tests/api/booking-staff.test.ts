import mongoose from 'mongoose';
import { shanghaiDate } from '@community/shared';
import { startTestApi, type TestApi } from './support/harness';

/** Capacity changes, waitlists that run out, acting family cancelling, and follow-ups of poor ratings. */
let api: TestApi;
let centre: string;
const db = () => mongoose.connection.db!;
const oid = (id: string) => new mongoose.Types.ObjectId(id);

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
});
afterAll(() => api.close());

async function serviceWithSlots(capacity: number) {
  const res = await api.request('POST', '/api/v1/staff/services', {
    token: centre,
    body: {
      name: `容量测试${Math.random().toString(36).slice(2, 6)}`,
      category: 'other',
      guide: { location: '大厅' },
      slotMinutes: 60,
      capacity,
      weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
    },
  });
  const slots = (await api.request('GET', `/api/v1/services/${res.body.id}/slots`, { token: centre })).body.items.filter(
    (s: { startAt: string }) => new Date(s.startAt).getTime() > Date.now() + 3 * 3600_000,
  );
  return { id: res.body.id as string, slots: slots as { id: string; seatsLeft: number; capacity: number }[] };
}

it('a larger capacity reaches future slots and promotes the line; a smaller one never takes a confirmed seat', async () => {
  const service = await serviceWithSlots(1);
  const slot = service.slots[0]!;
  const people = await Promise.all(['cap-a', 'cap-b', 'cap-c'].map((p) => api.loginWechat(p)));
  const booked = [];
  for (const p of people) booked.push(await api.request('POST', '/api/v1/bookings', { token: p.accessToken, body: { slotId: slot.id } }));
  expect(booked.map((b) => b.body.status)).toEqual(['confirmed', 'waitlisted', 'waitlisted']);

  await api.request('PATCH', `/api/v1/staff/services/${service.id}`, { token: centre, body: { capacity: 2 } });
  const second = await api.request('GET', `/api/v1/bookings/${booked[1]!.body.id}`, { token: people[1]!.accessToken });
  expect(second.body.status).toBe('confirmed');
  expect(await db().collection('slots').findOne({ _id: oid(slot.id) })).toMatchObject({ capacity: 2, seatsLeft: 0, waiting: 1 });
  const untouched = await db().collection('slots').findOne({ _id: oid(service.slots[1]!.id) });
  expect(untouched).toMatchObject({ capacity: 2, seatsLeft: 2 });

  await api.request('PATCH', `/api/v1/staff/services/${service.id}`, { token: centre, body: { capacity: 1 } });
  // The busy slot keeps its two confirmed people; the empty one shrinks.
  expect(await db().collection('slots').findOne({ _id: oid(slot.id) })).toMatchObject({ capacity: 2, seatsLeft: 0 });
  expect(await db().collection('slots').findOne({ _id: oid(service.slots[1]!.id) })).toMatchObject({ capacity: 1, seatsLeft: 1 });
});

it('people still in line when the slot starts are told it did not work out, and may book again', async () => {
  const service = await serviceWithSlots(1);
  const slot = service.slots[0]!;
  const first = await api.loginWechat('line-first');
  const second = await api.loginWechat('line-second');
  await api.request('POST', '/api/v1/bookings', { token: first.accessToken, body: { slotId: slot.id } });
  const waiting = await api.request('POST', '/api/v1/bookings', { token: second.accessToken, body: { slotId: slot.id } });
  expect(waiting.body.status).toBe('waitlisted');
  const startAt = new Date(waiting.body.startAt);
  await api.services.bookings.expireWaitlists(new Date(startAt.getTime() - 1000));
  expect((await api.request('GET', `/api/v1/bookings/${waiting.body.id}`, { token: second.accessToken })).body.status).toBe('waitlisted');
  expect(await api.services.bookings.expireWaitlists(new Date(startAt.getTime() + 1000))).toBeGreaterThanOrEqual(1);
  const after = await api.request('GET', `/api/v1/bookings/${waiting.body.id}`, { token: second.accessToken });
  expect(after.body.status).toBe('expired');
  expect((await api.request('GET', '/api/v1/inbox', { token: second.accessToken })).body.items[0].title).toBe('候补未成功');
  expect(await db().collection('slots').findOne({ _id: oid(slot.id) })).toMatchObject({ waiting: 0 });
  const again = await api.request('POST', '/api/v1/bookings', { token: second.accessToken, body: { slotId: service.slots[1]!.id } });
  expect(again.status).toBe(201);
});

it('an authorised family member can cancel for the resident, who is told', async () => {
  const wang = await api.loginWechat('demo-owner-wang');
  const li = await api.loginWechat('demo-family-li');
  const service = await serviceWithSlots(2);
  const booking = await api.request('POST', '/api/v1/bookings', { token: wang.accessToken, body: { slotId: service.slots[0]!.id } });
  expect((await api.request('POST', `/api/v1/bookings/${booking.body.id}/cancel`, { token: li.accessToken })).status).toBe(404);
  await api.request('POST', '/api/v1/authorities', { token: wang.accessToken, body: { granteeId: li.user.id, scopes: ['bookings'], days: 3 } });
  const cancelled = await api.request('POST', `/api/v1/bookings/${booking.body.id}/cancel`, { token: li.accessToken });
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.history.at(-1)).toMatchObject({ status: 'cancelled', byName: '李建国' });
  expect((await api.request('GET', '/api/v1/inbox', { token: wang.accessToken })).body.items[0].title).toBe('您的预约已被取消');
});

it('a poor rating waits in the follow-up list until someone writes what was done; the resident hears back', async () => {
  const service = await serviceWithSlots(2);
  const startAt = new Date(Date.now() + 2 * 60_000);
  const serviceDoc = await db().collection('services').findOne({ _id: oid(service.id) });
  const { insertedId } = await db().collection('slots').insertOne({
    communityId: serviceDoc!.communityId,
    serviceId: serviceDoc!._id,
    date: shanghaiDate(startAt),
    startAt,
    endAt: new Date(startAt.getTime() + 3600_000),
    capacity: 2,
    seatsLeft: 2,
    waiting: 0,
    waitSeq: 0,
  });
  const resident = await api.loginWechat('unhappy');
  const booking = await api.request('POST', '/api/v1/bookings', { token: resident.accessToken, body: { slotId: insertedId.toHexString() } });
  await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: booking.body.code } });
  await api.request('POST', `/api/v1/bookings/${booking.body.id}/rating`, { token: resident.accessToken, body: { level: 1, comment: '态度不好' } });
  const open = await api.request('GET', '/api/v1/staff/follow-ups?status=open', { token: centre });
  const item = open.body.items.find((f: { bookingId: string }) => f.bookingId === booking.body.id);
  expect(item).toMatchObject({ level: 1, comment: '态度不好', status: 'open' });
  const resolved = await api.request('POST', `/api/v1/staff/follow-ups/${item.id}/resolve`, { token: centre, body: { note: '已电话回访并致歉' } });
  expect(resolved.status).toBe(200);
  expect((await api.request('POST', `/api/v1/staff/follow-ups/${item.id}/resolve`, { token: centre, body: { note: '再来一次' } })).status).toBe(404);
  expect((await api.request('GET', '/api/v1/inbox', { token: resident.accessToken })).body.items[0].body).toContain('已电话回访并致歉');
});
