import mongoose from 'mongoose';
import { addDays, shanghaiDate } from '@community/shared';
import { startTestApi, type TestApi } from './support/harness';

/** B7 全程代办: a full-agency booking becomes a matter owned by whoever accepts first. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
});
afterAll(() => api.close());

it('check-in opens a matter; the first staff to accept owns it; notes reach the resident; it is completed', async () => {
  const centre = await api.loginStaff('centre');
  const admin = await api.loginStaff('admin');
  const elder = await api.loginWechat('demo-elder-liu');
  const services = await api.request('GET', '/api/v1/services', { token: elder.accessToken });
  const allowance = services.body.items.find((s: { name: string }) => s.name === '高龄津贴申请');
  expect(allowance.fullAgency).toBe(true);
  // A slot today, a few minutes ahead, so the booking can be checked in now.
  const db = mongoose.connection.db!;
  const service = await db.collection('services').findOne({ _id: new mongoose.Types.ObjectId(allowance.id) });
  const startAt = new Date(Date.now() + 5 * 60_000);
  const { insertedId } = await db.collection('slots').insertOne({
    communityId: service!.communityId,
    serviceId: service!._id,
    date: shanghaiDate(startAt),
    startAt,
    endAt: new Date(startAt.getTime() + 30 * 60_000),
    capacity: 2,
    seatsLeft: 2,
    waiting: 0,
    waitSeq: 0,
  });
  const booking = await api.request('POST', '/api/v1/bookings', { token: elder.accessToken, body: { slotId: insertedId.toHexString() } });
  expect(booking.status).toBe(201);
  expect(booking.body.matter).toBeNull();
  await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre.accessToken, body: { code: booking.body.code } });

  const open = await api.request('GET', '/api/v1/staff/matters?status=open', { token: centre.accessToken });
  const matter = open.body.items.find((m: { bookingId: string }) => m.bookingId === booking.body.id);
  expect(matter).toMatchObject({ status: 'open', residentName: '刘桂兰', serviceName: '高龄津贴申请' });
  // The list shows when the resident was booked, not only when the matter was opened.
  expect(new Date(matter.startAt).getTime()).toBe(Math.floor(startAt.getTime() / 1000) * 1000); // the wire keeps whole seconds

  const promisedBy = addDays(shanghaiDate(new Date()), 10);
  const [a, b] = await Promise.all([
    api.request('POST', `/api/v1/staff/matters/${matter.id}/accept`, { token: centre.accessToken, body: { promisedBy } }),
    api.request('POST', `/api/v1/staff/matters/${matter.id}/accept`, { token: admin.accessToken, body: { promisedBy } }),
  ]);
  expect([a.status, b.status].sort()).toEqual([200, 409]);
  const owner = a.status === 200 ? centre : admin;
  const other = a.status === 200 ? admin : centre;

  const note = await api.request('POST', `/api/v1/staff/matters/${matter.id}/notes`, { token: owner.accessToken, body: { text: '材料已交街道审核' } });
  expect(note.status).toBe(200);
  // Someone who is not the owner (and not admin) cannot write on it.
  if (!other.user.roles.includes('admin')) {
    expect((await api.request('POST', `/api/v1/staff/matters/${matter.id}/notes`, { token: other.accessToken, body: { text: '插话' } })).status).toBe(403);
  }
  const seen = await api.request('GET', `/api/v1/bookings/${booking.body.id}`, { token: elder.accessToken });
  expect(seen.body.matter).toMatchObject({ status: 'accepted', promisedBy });
  expect(seen.body.matter.notes.map((n: { text: string }) => n.text)).toContain('材料已交街道审核');

  const done = await api.request('POST', `/api/v1/staff/matters/${matter.id}/complete`, { token: owner.accessToken, body: { text: '次月起发放' } });
  expect(done.body.status).toBe('done');
  const inbox = await api.request('GET', '/api/v1/inbox', { token: elder.accessToken });
  expect(inbox.body.items.map((m: { title: string }) => m.title)).toEqual(
    expect.arrayContaining(['您的事项有人负责了', '代办进展', '代办事项已办结']),
  );
  const past = await api.request('POST', `/api/v1/staff/matters/${matter.id}/accept`, {
    token: other.accessToken,
    body: { promisedBy: '2020-01-01' },
  });
  expect(past.status).toBe(400);
});
