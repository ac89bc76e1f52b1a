import mongoose from 'mongoose';
import { backoffSeconds, fitTemplateData } from '../../api/src/modules/notification/service';
import { startTestApi, wxBase, type TestApi } from './support/harness';

/** S6: inbox always; subscribe messages only on consent, queued, retried with backoff, never twice. */
let api: TestApi;
const db = () => mongoose.connection.db!;
const standin = (path: string, body?: unknown) =>
  fetch(`${wxBase()}/__standin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then((r) => r.json());
const sentTo = async (openid: string) =>
  ((await standin(`messages?touser=${openid}`)) as { messages: { touser: string; template_id: string; data: Record<string, { value: string }> }[] }).messages;

beforeAll(async () => {
  api = await startTestApi(__filename);
});
afterAll(() => api.close());

it('fits template values to WeChat limits and backs off exponentially', () => {
  expect(fitTemplateData({ thing1: '一'.repeat(25), phrase3: '候补成功了啊', time2: '2026-12-01 09:00' })).toEqual({
    thing1: `${'一'.repeat(19)}…`,
    phrase3: '候补成功…',
    time2: '2026-12-01 09:00',
  });
  expect([1, 2, 3, 10].map(backoffSeconds)).toEqual([10, 20, 40, 3600]);
});

it('sends a subscribe message only against a consent credit, one credit per send', async () => {
  const person = await api.loginWechat('sub-consent');
  const { bookingResult } = (await api.request('GET', '/api/v1/subscriptions/templates', { token: person.accessToken })).body;
  const notice = { kind: 'test', title: '测试', body: '内容', subscribe: { templateId: bookingResult, data: { thing1: '社保卡申领', phrase3: '预约成功' } } };

  await api.services.notifications.notify(person.user.id, notice);
  await api.services.notifications.processQueue();
  expect(await sentTo('sub-consent')).toHaveLength(0); // no consent: inbox only
  expect((await api.request('GET', '/api/v1/inbox/unread-count', { token: person.accessToken })).body.unread).toBe(1);

  const consent = await api.request('POST', '/api/v1/subscriptions', {
    token: person.accessToken,
    body: { accepted: [bookingResult, 'someone-elses-template'] },
  });
  expect(consent.body.credits).toEqual({ [bookingResult]: 1 });
  await api.services.notifications.notify(person.user.id, notice);
  await api.services.notifications.notify(person.user.id, notice);
  await api.services.notifications.processQueue();
  const sent = await sentTo('sub-consent');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ template_id: bookingResult, data: { thing1: { value: '社保卡申领' }, phrase3: { value: '预约成功' } } });
  expect((await api.request('GET', '/api/v1/inbox/unread-count', { token: person.accessToken })).body.unread).toBe(3);
});

it('When WeChat answers 43101, then the ledger is set to no consent and the send is not retried', async () => {
  const person = await api.loginWechat('o-no-consent');
  const { bookingResult } = api.config.wechat.templates;
  await api.request('POST', '/api/v1/subscriptions', { token: person.accessToken, body: { accepted: [bookingResult] } });
  await api.request('POST', '/api/v1/subscriptions', { token: person.accessToken, body: { accepted: [bookingResult] } });
  await api.services.notifications.notify(person.user.id, { kind: 't', title: 't', body: 'b', subscribe: { templateId: bookingResult, data: { thing1: 'x' } } });
  await api.services.notifications.processQueue();
  const job = await db().collection('outbound_messages').findOne({ userId: new mongoose.Types.ObjectId(person.user.id) });
  expect(job).toMatchObject({ state: 'refused', attempts: 1 });
  expect(await db().collection('subscribe_credits').findOne({ _id: `${person.user.id}:${bookingResult}` as never })).toMatchObject({ credits: 0 });
  await api.services.notifications.processQueue(new Date(Date.now() + 3600_000));
  expect((await db().collection('outbound_messages').findOne({ _id: job!._id }))!.attempts).toBe(1);
});

it('retries a failed send with backoff, and a send claimed by a dead instance is taken over after its lease', async () => {
  const person = await api.loginWechat('sub-flaky');
  const { bookingResult } = api.config.wechat.templates;
  await api.request('POST', '/api/v1/subscriptions', { token: person.accessToken, body: { accepted: [bookingResult] } });
  await standin('script', { subscribeSend: { 'sub-flaky': { errcode: -1, errmsg: 'system error', times: 1 } } });
  const now = new Date();
  await api.services.notifications.notify(person.user.id, { kind: 't', title: 't', body: 'b', subscribe: { templateId: bookingResult, data: { thing1: 'x' } } }, now);
  await api.services.notifications.processQueue(now);
  const job = await db().collection('outbound_messages').findOne({ userId: new mongoose.Types.ObjectId(person.user.id) });
  expect(job).toMatchObject({ state: 'queued', attempts: 1 });
  expect(job!.nextAt.getTime() - now.getTime()).toBe(10_000);
  await api.services.notifications.processQueue(new Date(now.getTime() + 5_000));
  expect(await sentTo('sub-flaky')).toHaveLength(0); // not due yet
  await api.services.notifications.processQueue(new Date(now.getTime() + 11_000));
  expect(await sentTo('sub-flaky')).toHaveLength(1);

  // An instance claimed a job and died: after the lease, another one sends it.
  await api.request('POST', '/api/v1/subscriptions', { token: person.accessToken, body: { accepted: [bookingResult] } });
  await api.services.notifications.notify(person.user.id, { kind: 't', title: 't', body: 'b', subscribe: { templateId: bookingResult, data: { thing1: 'y' } } }, now);
  await db().collection('outbound_messages').updateOne(
    { userId: new mongoose.Types.ObjectId(person.user.id), state: 'queued' },
    { $set: { state: 'sending', leaseUntil: new Date(now.getTime() + 60_000) } },
  );
  await api.services.notifications.processQueue(new Date(now.getTime() + 30_000));
  expect(await sentTo('sub-flaky')).toHaveLength(1);
  await api.services.notifications.processQueue(new Date(now.getTime() + 61_000));
  expect(await sentTo('sub-flaky')).toHaveLength(2);
});

it('reminds each confirmed booking once, a day ahead, even when two senders run at once', async () => {
  await api.seed();
  const resident = await api.loginWechat('demo-owner-wang');
  const services = await api.request('GET', '/api/v1/services', { token: resident.accessToken });
  const card = services.body.items.find((s: { name: string }) => s.name === '社保卡申领与补换');
  const slots = (await api.request('GET', `/api/v1/services/${card.id}/slots`, { token: resident.accessToken })).body.items;
  const slot = slots.find((s: { startAt: string }) => new Date(s.startAt).getTime() > Date.now() + 26 * 3600_000);
  const booking = await api.request('POST', '/api/v1/bookings', { token: resident.accessToken, body: { slotId: slot.id } });
  const stored = await db().collection('bookings').findOne({ _id: new mongoose.Types.ObjectId(booking.body.id) });
  expect(stored!.startAt.getTime() - stored!.reminderDueAt.getTime()).toBe(24 * 3600_000);

  expect(await api.services.bookings.sendDueReminders(new Date())).toBe(0);
  const due = new Date(stored!.reminderDueAt.getTime() + 1000);
  const [a, b] = await Promise.all([api.services.bookings.sendDueReminders(due), api.services.bookings.sendDueReminders(due)]);
  expect(a + b).toBe(1);
  const inbox = await api.request('GET', '/api/v1/inbox', { token: resident.accessToken });
  expect(inbox.body.items.filter((m: { title: string }) => m.title === '办事提醒')).toHaveLength(1);
  expect(inbox.body.items[0].body).toContain(booking.body.code);
});
