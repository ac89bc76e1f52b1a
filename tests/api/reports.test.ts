import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { shanghaiDate } from '@community/shared';
import { startTestApi, type TestApi } from './support/harness';

/** S2 for bookings: per-service figures equal a count by hand, and the .xlsx carries every booking. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
});
afterAll(() => api.close());

it('counts booked, attended, no-show, cancelled and ratings per service, and exports them', async () => {
  const centre = (await api.loginStaff('centre')).accessToken;
  const created = await api.request('POST', '/api/v1/staff/services', {
    token: centre,
    body: { name: '统计测试事项', category: 'other', guide: { location: '大厅' }, slotMinutes: 30, capacity: 5, weeklyHours: [] },
  });
  const db = mongoose.connection.db!;
  const service = await db.collection('services').findOne({ _id: new mongoose.Types.ObjectId(created.body.id) });
  const startAt = new Date(Date.now() + 5 * 60_000);
  const { insertedId } = await db.collection('slots').insertOne({
    communityId: service!.communityId,
    serviceId: service!._id,
    date: shanghaiDate(startAt),
    startAt,
    endAt: new Date(startAt.getTime() + 30 * 60_000),
    capacity: 5,
    seatsLeft: 5,
    waiting: 0,
    waitSeq: 0,
  });
  const slotId = insertedId.toHexString();
  const people = await Promise.all(['r-a', 'r-b', 'r-c', 'r-d'].map((p) => api.loginWechat(p)));
  const bookings = await Promise.all(people.map((p) => api.request('POST', '/api/v1/bookings', { token: p.accessToken, body: { slotId } })));
  // a: attended and rated 4; b: attended and rated 2; c: cancelled (by staff, past the cutoff); d: no-show.
  for (const i of [0, 1]) await api.request('POST', '/api/v1/staff/bookings/check-in', { token: centre, body: { code: bookings[i]!.body.code } });
  await api.request('POST', `/api/v1/bookings/${bookings[0]!.body.id}/rating`, { token: people[0]!.accessToken, body: { level: 4 } });
  await api.request('POST', `/api/v1/bookings/${bookings[1]!.body.id}/rating`, { token: people[1]!.accessToken, body: { level: 2, comment: '排队久' } });
  expect((await api.request('POST', `/api/v1/bookings/${bookings[2]!.body.id}/cancel`, { token: centre })).status).toBe(200);
  await db.collection('bookings').updateOne({ _id: new mongoose.Types.ObjectId(bookings[3]!.body.id) }, { $set: { endAt: new Date(Date.now() - 1000) } });
  expect((await api.request('POST', `/api/v1/staff/bookings/${bookings[3]!.body.id}/no-show`, { token: centre })).status).toBe(200);

  const day = shanghaiDate(startAt);
  const stats = await api.request('GET', `/api/v1/staff/services/stats?from=${day}&to=${day}`, { token: centre });
  expect(stats.body.items.find((s: { serviceId: string }) => s.serviceId === created.body.id)).toEqual({
    serviceId: created.body.id,
    serviceName: '统计测试事项',
    booked: 4,
    attended: 2,
    noShow: 1,
    cancelled: 1,
    ratingSum: 6,
    ratingCount: 2,
  });

  const file = await fetch(`${api.baseUrl}/api/v1/staff/bookings/export?from=${day}&to=${day}`, { headers: { Authorization: `Bearer ${centre}` } });
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toContain('spreadsheetml');
  expect(decodeURIComponent(file.headers.get('content-disposition') ?? '')).toContain(`预约明细_${day}_${day}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await file.arrayBuffer()) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.getWorksheet('预约明细')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
  const ours = rows.filter((r) => r[2] === '统计测试事项');
  expect(ours).toHaveLength(4);
  expect(ours.map((r) => r[4]).sort()).toEqual(['已到场', '已到场', '已取消', '未到场'].sort());
  expect(ours.some((r) => r[7] === '不满意' && r[8] === '排队久')).toBe(true);

  const tooLong = await api.request('GET', '/api/v1/staff/services/stats?from=2026-01-01&to=2026-12-31', { token: centre });
  expect(tooLong.status).toBe(400);
  expect((await api.request('GET', `/api/v1/staff/services/stats?from=${day}&to=${day}`, { token: people[0]!.accessToken })).status).toBe(403);
});

it('exports at most 62 days counted inclusively, and refuses dates that do not exist', async () => {
  const centre = (await api.loginStaff('centre')).accessToken;
  const get = (from: string, to: string) =>
    api.request('GET', `/api/v1/staff/services/stats?from=${from}&to=${to}`, { token: centre });
  expect((await get('2026-11-01', '2027-01-01')).status).toBe(200); // 30 + 31 + 1 = 62 days
  const tooLong = await get('2026-11-01', '2027-01-02');
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.error.message).toContain('62');
  const impossible = await get('2026-02-30', '2026-03-01');
  expect(impossible.status).toBe(400);
  expect(JSON.stringify(impossible.body.error)).toContain('没有这一天');
  const follow = await api.request('POST', `/api/v1/staff/follow-ups/${'0'.repeat(24)}/resolve`, { token: centre, body: { note: '' } });
  expect(follow.status).toBe(400);
  expect(JSON.stringify(follow.body.error)).toContain('回访结果');
});
