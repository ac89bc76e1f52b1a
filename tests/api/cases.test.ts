import mongoose from 'mongoose';
import { createCaseService } from '../../api/src/modules/case/service';
import { startTestApi, type TestApi } from './support/harness';
import { PNG, oid, uploadPhoto } from './support/polls';

/**
 * F1–F7 over HTTP: routing, every workflow step and the illegal ones, the
 * escalation chain on a controllable clock with two schedulers at once,
 * two-tier anonymity on the raw JSON, and upload limits.
 */
let api: TestApi;
let centre: string;
let property: string;
let grid1: string;
let grid3: string;
let wang: string;
let zhao: string;
let wangRoomId: string;
const db = () => mongoose.connection.db!;
const HOUR = 3600_000;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  property = (await api.loginStaff('property')).accessToken;
  grid1 = (await api.loginStaff('grid1')).accessToken;
  grid3 = (await api.loginStaff('grid3')).accessToken;
  const w = await api.loginWechat('demo-owner-wang');
  wang = w.accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
  wangRoomId = (await api.request('GET', '/api/v1/me', { token: wang })).body.rooms[0].roomId;
  await db().collection('users').updateOne({ _id: oid(w.user.id) }, { $set: { phone: '13800000001' } });
}, 60_000);
afterAll(() => api.close());

const report = (token: string, overrides: Record<string, unknown> = {}) =>
  api.request('POST', '/api/v1/cases', {
    token,
    body: { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId: wangRoomId }, text: '厨房水管漏水，地上都是水', ...overrides },
  });
const act = (token: string, caseId: string, action: string, body?: unknown) => api.request('POST', `/api/v1/staff/cases/${caseId}/${action}`, { token, body });
const mine = (token: string, caseId: string, action: string, body?: unknown) => api.request('POST', `/api/v1/cases/${caseId}/${action}`, { token, body });

describe('reporting', () => {
  it('refuses bad input, someone else’s room and an unbound person, storing nothing', async () => {
    const before = await db().collection('cases').countDocuments();
    for (const overrides of [{ kind: 'rant' }, { text: '漏' }, { text: 'x'.repeat(1001) }, { place: { kind: 'room', roomId: 'x' } }, { photoIds: Array(10).fill('0'.repeat(24)) }]) {
      const res = await report(wang, overrides);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await report(zhao)).status).toBe(400); // not zhao's room
    expect(await db().collection('cases').countDocuments()).toBe(before);
  });

  it('rejects an oversized or non-image upload and stores nothing', async () => {
    const before = await db().collection('uploads').countDocuments();
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    expect((await api.request('POST', '/api/v1/uploads', { token: wang, rawBody: big, headers: { 'Content-Type': 'image/png' } })).status).toBe(413);
    expect((await api.request('POST', '/api/v1/uploads', { token: wang, rawBody: Buffer.from('MZ fake exe'), headers: { 'Content-Type': 'image/png' } })).status).toBe(415);
    expect((await api.request('POST', '/api/v1/uploads', { token: wang, rawBody: Buffer.from('%PDF-1.4'), headers: { 'Content-Type': 'application/pdf' } })).status).toBe(415);
    expect(await db().collection('uploads').countDocuments()).toBe(before);
  });

  it('routes to the building’s property company by default, and by the most specific rule', async () => {
    const first = await report(wang);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', level: 'property', holderLabel: '金城物业服务有限公司' });
    expect(new Date(first.body.promisedBy).getTime() - Date.now()).toBeGreaterThan(23 * HOUR); // utilities: 24 h
    const b1 = (await db().collection('buildings').findOne({ name: '1号楼' }))!._id.toHexString();
    await api.request('POST', '/api/v1/staff/routing-rules', { token: centre, body: { category: 'noise', buildingId: null, level: 'grid' } });
    await api.request('POST', '/api/v1/staff/routing-rules', { token: centre, body: { category: 'noise', buildingId: b1, level: 'centre' } });
    expect((await report(wang, { category: 'noise', kind: 'complaint', text: '楼下半夜装修很吵' })).body.level).toBe('centre');
    const b9 = (await db().collection('buildings').findOne({ name: '9号楼' }))!._id.toHexString();
    const common = await report(wang, { category: 'noise', kind: 'complaint', place: { kind: 'common', buildingId: b9, spot: '楼前广场' }, text: '广场舞音响太大声了' });
    expect(common.body).toMatchObject({ level: 'grid', placeLabel: '9号楼 楼前广场（公共区域）' });
  });
});

describe('the workflow', () => {
  it('accept → pause → (refused resolve while paused) → resume → resolve → reopen → resolve → confirm → rate poorly → rectification visit', async () => {
    const photo = await uploadPhoto(api, wang);
    const c = (await report(wang, { photoIds: [photo] })).body;
    // Only the holding desk acts; the resident cannot.
    expect((await act(grid3, c.id, 'accept')).status).toBe(403);
    expect((await act(wang, c.id, 'accept')).status).toBe(403);
    expect((await mine(wang, c.id, 'confirm')).body.error.code).toBe('CASE_WRONG_STATE');
    const [a, b] = await Promise.all([act(property, c.id, 'accept'), act(property, c.id, 'accept')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const tomorrow = new Date(Date.now() + 8 * HOUR + 24 * HOUR).toISOString().slice(0, 10);
    expect((await act(property, c.id, 'pause', { reason: '等配件', resumeOn: '2020-01-01' })).status).toBe(400);
    expect((await act(property, c.id, 'pause', { reason: '等待配件到货', resumeOn: tomorrow })).body.status).toBe('paused');
    expect((await act(property, c.id, 'resolve', { note: '已更换水管' })).body.error.code).toBe('CASE_WRONG_STATE');
    // The day comes (moved in the database to keep the steps' clock real): the scheduler resumes it
    // and moves the promise on by the time it was paused.
    await db().collection('cases').updateOne({ _id: oid(c.id) }, { $set: { pausedUntil: '2000-01-01', pausedAt: new Date(Date.now() - HOUR) } });
    const before = await db().collection('cases').findOne({ _id: oid(c.id) });
    await api.services.cases.escalateDue(new Date());
    const resumed = await db().collection('cases').findOne({ _id: oid(c.id) });
    expect(resumed!.status).toBe('accepted');
    expect(resumed!.promisedBy.getTime()).toBeGreaterThan(before!.promisedBy.getTime());

    const fixed = await act(property, c.id, 'resolve', { note: '已更换水管，请试用' });
    expect(fixed.body.status).toBe('resolved');
    expect((await mine(zhao, c.id, 'reopen', { reason: '还在漏' })).status).toBe(404);
    expect((await mine(wang, c.id, 'reopen', { reason: '接口处还在滴水' })).body.status).toBe('accepted');
    await act(property, c.id, 'resolve', { note: '接口重新密封' });
    expect((await mine(wang, c.id, 'confirm')).body.status).toBe('closed');
    expect((await mine(wang, c.id, 'rate', { level: 9 })).status).toBe(400);
    const rated = await mine(wang, c.id, 'rate', { level: 2, comment: '来得太慢' });
    expect(rated.body.rectification).toMatchObject({ status: 'open', visitNote: null });
    expect((await mine(wang, c.id, 'rate', { level: 5 })).status).toBe(409);
    expect((await act(centre, c.id, 'visit', { note: '已电话回访，物业道歉并承诺加快响应' })).body.rectification.status).toBe('done');

    const history = (await api.request('GET', `/api/v1/cases/${c.id}`, { token: wang })).body.history.map((h: { action: string }) => h.action);
    expect(history).toEqual(['submitted', 'accepted', 'paused', 'resumed', 'resolved', 'reopened', 'resolved', 'confirmed', 'rated', 'rectified']);
    expect(await db().collection('case_steps').countDocuments({ caseId: oid(c.id) })).toBe(10);
  });

  it('transfer and return carry a reason; the centre cannot return', async () => {
    const c = (await report(wang, { category: 'parking', kind: 'complaint', text: '消防通道长期有车乱停' })).body;
    expect((await act(property, c.id, 'transfer', { toLevel: 'grid' })).status).toBe(400);
    expect((await act(property, c.id, 'transfer', { toLevel: 'grid', reason: '需要网格员协调车主' })).body.level).toBe('grid');
    expect((await act(property, c.id, 'accept')).status).toBe(403);
    expect((await act(grid1, c.id, 'return', { reason: '涉及执法，需要社区协调' })).body).toMatchObject({ level: 'centre', status: 'submitted' });
    expect((await act(centre, c.id, 'return', { reason: '退回去' })).body.error.code).toBe('CASE_WRONG_STATE');
  });

  it('offers open cases of the same building and category, and following one instead of filing again', async () => {
    const b1 = (await db().collection('buildings').findOne({ name: '1号楼' }))!._id.toHexString();
    const c = (await report(wang, { category: 'elevator', place: { kind: 'common', buildingId: b1, spot: '1单元电梯' }, text: '电梯按钮失灵，按了没反应' })).body;
    const li = await api.loginWechat('demo-family-li');
    const similar = (await api.request('GET', `/api/v1/cases/similar?buildingId=${b1}&category=elevator`, { token: li.accessToken })).body.items;
    expect(similar.map((s: { id: string }) => s.id)).toContain(c.id);
    const followed = await mine(li.accessToken, c.id, 'follow');
    expect(followed.body).toMatchObject({ following: true, followers: 1 });
    await mine(li.accessToken, c.id, 'follow');
    expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token: li.accessToken })).body.followers).toBe(1);
    await act(property, c.id, 'accept');
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(li.user.id), title: '您反映的问题已受理' })).toBe(1);
  });
});

describe('escalation on a controllable clock', () => {
  it('climbs property → grid → centre when promises and acknowledgements lapse; two schedulers escalate once', async () => {
    const t0 = Date.now();
    const c = (await report(wang, { urgent: true, text: '楼道里有燃气味，很担心' })).body;
    expect(new Date(c.promisedBy).getTime() - t0).toBeLessThanOrEqual(2 * HOUR + 60_000);

    // Two instances of the service (as two API processes would have) sweep at the same minute: one runs.
    const other = createCaseService({ accounts: api.services.accounts, notifications: api.services.notifications, uploads: api.services.uploads });
    const at3h = new Date(t0 + 3 * HOUR);
    const [x, y] = await Promise.all([api.services.cases.sweep(at3h, 'a'), other.sweep(at3h, 'b')]);
    expect([x.ran, y.ran].sort()).toEqual([false, true]);
    // Even sweeps of different minutes racing escalate each case once (the hop guard).
    await Promise.all([api.services.cases.escalateDue(new Date(t0 + 3 * HOUR + 60_000)), other.escalateDue(new Date(t0 + 3 * HOUR + 120_000))]);
    let doc = (await db().collection('cases').findOne({ _id: oid(c.id) }))!;
    expect(doc).toMatchObject({ level: 'grid', hop: 1 });
    expect(doc.ackDueAt.getTime()).toBe(at3h.getTime() + 4 * HOUR);

    // Grid 1's worker does not acknowledge within 4 h: up to the centre (吹哨).
    await api.services.cases.escalateDue(new Date(t0 + 7.5 * HOUR));
    doc = (await db().collection('cases').findOne({ _id: oid(c.id) }))!;
    expect(doc).toMatchObject({ level: 'centre', hop: 2 });
    // The centre acknowledges (报到): its own promise starts now, and nothing escalates before it lapses.
    expect((await act(centre, c.id, 'acknowledge')).status).toBe(200);
    expect((await act(centre, c.id, 'acknowledge')).status).toBe(409);
    await api.services.cases.escalateDue(new Date(Date.now() + HOUR));
    expect((await db().collection('cases').findOne({ _id: oid(c.id) }))!.level).toBe('centre');

    const seen = (await api.request('GET', `/api/v1/cases/${c.id}`, { token: wang })).body;
    expect(seen.history.filter((h: { action: string }) => h.action === 'escalated').map((h: { level: string }) => h.level)).toEqual(['grid', 'centre']);
    expect(seen.history.map((h: { action: string }) => h.action)).toContain('acknowledged');
  });
});

describe('two-tier anonymity', () => {
  it('property staff never see the name or phone of a resident who asked; community staff do', async () => {
    const c = (await report(wang, { category: 'fees', kind: 'complaint', text: '物业费多收了两个月', visibility: 'staff_only' })).body;
    const forProperty = await api.request('GET', '/api/v1/staff/cases', { token: property });
    // Other cases of hers in the queue were filed with her name shown; this one must not carry it.
    const raw = JSON.stringify(forProperty.body.items.find((i: { id: string }) => i.id === c.id));
    expect(raw).toContain(c.id);
    expect(raw).not.toContain('王秀英');
    expect(raw).not.toContain('13800000001');
    expect(raw).not.toContain('1380****0001');
    expect(forProperty.body.items.find((i: { id: string }) => i.id === c.id).reporterName).toBe('匿名居民');
    const accepted = await act(property, c.id, 'accept');
    expect(JSON.stringify(accepted.body)).not.toContain('王秀英');
    const forCentre = await api.request('GET', `/api/v1/cases/${c.id}`, { token: centre });
    expect(forCentre.body).toMatchObject({ reporterName: '王秀英', reporterPhone: '13800000001' });
  });
});

describe('the public scorecard', () => {
  it('equals a recount from the cases, names no resident, and exports with the cases under it', async () => {
    const month = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 7);
    const res = await api.request('GET', `/api/v1/scorecards?month=${month}`);
    expect(res.status).toBe(200);
    const all = await db().collection('cases').find({}).toArray();
    const company = (await db().collection('property_companies').findOne({ name: '金城物业服务有限公司' }))!;
    const theirs = all.filter((c) => c.propertyCompanyId?.equals(company._id));
    const done = theirs.filter((c) => c.status === 'resolved' || c.status === 'closed');
    const row = res.body.companies.find((c: { name: string }) => c.name === '金城物业服务有限公司');
    expect(row).toMatchObject({
      cases: theirs.length,
      acceptedInTime: theirs.filter((c) => c.firstAcceptedInTime === true).length,
      resolved: done.length,
      resolvedInTime: done.filter((c) => c.resolvedInTime === true).length,
      rated: theirs.filter((c) => c.rating?.level).length,
      satisfied: theirs.filter((c) => c.rating?.level >= 4).length,
      reopened: done.filter((c) => c.reopenCount > 0).length,
    });
    expect(row.cases).toBeGreaterThan(3);
    expect(res.body.total.cases).toBe(all.length);
    expect(JSON.stringify(res.body)).not.toMatch(/王秀英|1380/);
    expect((await api.request('GET', '/api/v1/scorecards?month=2026-13')).status).toBe(400);

    const file = await fetch(`${api.baseUrl}/api/v1/staff/scorecards/export?month=${month}`, { headers: { Authorization: `Bearer ${centre}` } });
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const rows = JSON.stringify(book.getWorksheet('工单明细')!.getSheetValues());
    expect(rows).toContain('匿名居民');
    expect(book.getWorksheet('工单明细')!.rowCount).toBe(all.length + 1);
  });
});
