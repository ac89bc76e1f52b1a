import { spawn } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { renderCertificatePdf } from '../../api/src/modules/certificate/pdf';
import { startTestApi, type TestApi } from './support/harness';
import { oid } from './support/polls';

/**
 * 志愿服务记录证明 over HTTP: issued from confirmed hours only, the PDF's own
 * text read back (names, each service and its hours, the serial), verified by
 * serial without signing in (masked name, never the ID number), revoked with a
 * reason that verification shows, and nobody else's PDF for the asking.
 */
let api: TestApi;
let centre: string;
let wang: string;
let li: string;
let chen: string;
const db = () => mongoose.connection.db!;
const HOUR = 3600_000;
const ID_NUMBER = '11010519491231002X';

/**
 * The PDF's text, page by page and line by line (cells of a table row joined
 * by " | "), read by Mozilla's pdf.js in a child process: pdfjs-dist is ESM
 * only and jest's CommonJS runtime cannot import it.
 */
const EXTRACT = `
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const pages = [];
for (let i = 1; i <= doc.numPages; i++) {
  const { items } = await (await doc.getPage(i)).getTextContent();
  const rows = new Map();
  for (const it of items) {
    if (!('str' in it) || !it.str.trim()) continue;
    const y = Math.round(it.transform[5]);
    if (!rows.has(y)) rows.set(y, []);
    rows.get(y).push(it);
  }
  pages.push([...rows.entries()].sort((a, b) => b[0] - a[0]).map(([, r]) => r.sort((a, b) => a.transform[4] - b.transform[4]).map((it) => it.str.trim()).join(' | ')));
}
await doc.destroy();
process.stdout.write(JSON.stringify(pages));
`;

function pdfText(pdf: Buffer): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', EXTRACT], { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`pdf.js exited ${code}: ${err}`))));
    child.stdin.end(pdf);
  });
}

async function download(serial: string, token?: string) {
  const res = await fetch(`${api.baseUrl}/api/v1/certificates/${serial}/pdf`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  li = (await api.loginWechat('demo-family-li')).accessToken;
  chen = (await api.loginWechat('demo-newcomer-chen')).accessToken;
}, 60_000);
afterAll(() => api.close());

/**
 * An activity Wang served at, the way it happens: published, signed up,
 * scanned in and out of the poster on site, hours confirmed by the organiser
 * (as scanned, or adjusted with a reason).
 */
async function serve(title: string, lastsMinutes: number, confirm: { minutes?: number; reason?: string } = {}) {
  const now = Date.now();
  const created = await api.request('POST', '/api/v1/staff/activities', {
    token: centre,
    body: {
      type: 'volunteer',
      title,
      place: '滨河公园东门',
      organiser: '滨河社区新时代文明实践站',
      startAt: new Date(now + 48 * HOUR).toISOString(),
      endAt: new Date(now + 48 * HOUR + lastsMinutes * 60_000).toISOString(),
      signupOpensAt: new Date(now - HOUR).toISOString(),
      signupClosesAt: new Date(now + 47 * HOUR).toISOString(),
      capacity: 10,
    },
  });
  expect(created.status).toBe(201);
  const activityId: string = created.body.id;
  expect((await api.request('POST', `/api/v1/activities/${activityId}/signups`, { token: wang, body: {} })).status).toBe(201);
  const poster = (await api.request('POST', `/api/v1/staff/activities/${activityId}/poster`, { token: centre })).body.posterId;
  const moveTo = async (startedMinutesAgo: number) => {
    const startAt = new Date(Date.now() - startedMinutesAgo * 60_000);
    await db().collection('activities').updateOne(
      { _id: oid(activityId) },
      { $set: { startAt, endAt: new Date(startAt.getTime() + lastsMinutes * 60_000), signupClosesAt: new Date(startAt.getTime() - 60_000) } },
    );
  };
  await moveTo(10);
  const checkIn = await api.request('POST', '/api/v1/activities/scan', { token: wang, body: { poster } });
  expect(checkIn.body).toMatchObject({ direction: 'in' });
  // As if the check-in was long ago and the activity just ended: the scanned time is the whole activity.
  await db().collection('activity_signups').updateOne({ _id: oid(checkIn.body.id) }, { $set: { checkInAt: new Date(Date.now() - (lastsMinutes + 60) * 60_000) } });
  await moveTo(lastsMinutes + 10);
  const checkOut = await api.request('POST', '/api/v1/activities/scan', { token: wang, body: { poster } });
  expect(checkOut.body).toMatchObject({ direction: 'out', scannedMinutes: lastsMinutes });
  const confirmed = await api.request('POST', `/api/v1/staff/activities/${activityId}/hours`, { token: centre, body: { items: [{ signupId: checkIn.body.id, ...confirm }] } });
  expect(confirmed.status).toBe(200);
  return activityId;
}

describe('before any confirmed service', () => {
  it('refuses with a Chinese message, for a volunteer with none and for someone without a community', async () => {
    for (const token of [wang, chen]) {
      const res = await api.request('POST', '/api/v1/certificates', { token, body: {} });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CERTIFICATE_NOTHING_TO_CERTIFY');
      expect(res.body.error.message).toMatch(/志愿服务.*证明/);
    }
    // No body at all is the same as an empty one.
    expect((await api.request('POST', '/api/v1/certificates', { token: chen })).body.error?.code).toBe('CERTIFICATE_NOTHING_TO_CERTIFY');
    expect(await db().collection('volunteer_certificates').countDocuments()).toBe(0);
  });

  it('a signed-up activity whose hours are not confirmed yet is still nothing to certify', async () => {
    const activity = await api.request('POST', '/api/v1/staff/activities', {
      token: centre,
      body: {
        type: 'volunteer',
        title: '未确认的活动',
        place: '社区广场',
        organiser: '滨河社区新时代文明实践站',
        startAt: new Date(Date.now() + 48 * HOUR).toISOString(),
        endAt: new Date(Date.now() + 50 * HOUR).toISOString(),
        signupOpensAt: new Date(Date.now() - HOUR).toISOString(),
        signupClosesAt: new Date(Date.now() + 47 * HOUR).toISOString(),
        capacity: 5,
      },
    });
    await api.request('POST', `/api/v1/activities/${activity.body.id}/signups`, { token: wang, body: {} });
    const res = await api.request('POST', '/api/v1/certificates', { token: wang, body: {} });
    expect(res.body.error?.code).toBe('CERTIFICATE_NOTHING_TO_CERTIFY');
  });
});

describe('a volunteer with two confirmed services', () => {
  let serial: string;

  beforeAll(async () => {
    await serve('河道清洁志愿服务', 120);
    await serve('敬老院探访', 60, { minutes: 45, reason: '中途离开15分钟' });
  }, 60_000);

  it('refuses a malformed ID number with 400 and issues nothing', async () => {
    for (const idNumber of ['110105194912310021', '12345', 'x'.repeat(18), 42]) {
      const res = await api.request('POST', '/api/v1/certificates', { token: wang, body: { idNumber } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await db().collection('volunteer_certificates').countDocuments()).toBe(0);
  });

  it('issues a certificate with a serial, a verification URL and a download URL; asking again returns the same one', async () => {
    const res = await api.request('POST', '/api/v1/certificates', { token: wang, body: { idNumber: ID_NUMBER.toLowerCase() } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ serial: expect.stringMatching(/^ZYFW-\d{4}-\d{6}$/), totalMinutes: 165, serviceCount: 2, created: true });
    serial = res.body.serial;
    // The link printed on the certificate opens the mini-program's 核验 page in its H5 form (here: same origin as the API).
    expect(res.body.verifyUrl).toBe(`${api.baseUrl}/#/volunteer/verify/index?serial=${serial}`);
    expect(res.body.downloadUrl).toBe(`/api/v1/certificates/${serial}/pdf`);
    expect(JSON.stringify(res.body)).not.toContain(ID_NUMBER);

    const again = await api.request('POST', '/api/v1/certificates', { token: wang, body: { idNumber: ID_NUMBER } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ serial, created: false });
    const racing = await Promise.all([1, 2, 3].map(() => api.request('POST', '/api/v1/certificates', { token: wang, body: { idNumber: ID_NUMBER } })));
    expect(racing.map((r) => r.body.serial)).toEqual([serial, serial, serial]);
    expect(await db().collection('volunteer_certificates').countDocuments()).toBe(1);

    const stored = await db().collection('volunteer_certificates').findOne({ serial });
    expect(stored).toMatchObject({ realName: '王秀英', idNumber: ID_NUMBER, gender: '女', issuer: '滨河社区新时代文明实践站' });
  });

  it('lists it among mine with the ID number masked', async () => {
    const res = await api.request('GET', '/api/v1/certificates/mine', { token: wang });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([expect.objectContaining({ serial, status: 'valid', idNumberMasked: '1101**********002X', totalMinutes: 165, serviceCount: 2 })]);
    expect(JSON.stringify(res.body)).not.toContain(ID_NUMBER);
    expect((await api.request('GET', '/api/v1/certificates/mine', { token: li })).body.items).toEqual([]);
  });

  it('downloads a PDF whose text holds the name, each service with its hours, the totals and the serial', async () => {
    const file = await download(serial, wang);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.disposition).toContain('attachment');
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    // The font is embedded as a subset: the whole Noto Sans SC is ~10 MB.
    expect(file.body.length).toBeLessThan(100_000);

    const pages = await pdfText(file.body);
    const lines = pages.flat();
    const text = lines.join('\n');
    expect(text).toContain('志愿服务记录证明');
    expect(text).toContain(serial);
    expect(lines).toContain(`姓名 | 王秀英 | 性别 | 女`);
    expect(lines).toContain(`身份证号 | ${ID_NUMBER} | 所在社区 | 滨河社区`);
    expect(lines).toContain('序号 | 日期 | 活动 | 组织单位 | 时长（小时）');
    expect(lines).toContainEqual(expect.stringMatching(/^1 \| \d{4}-\d{2}-\d{2} \| 河道清洁志愿服务 \| 滨河社区新时代文明实践站 \| 2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^2 \| \d{4}-\d{2}-\d{2} \| 敬老院探访 \| 滨河社区新时代文明实践站 \| 0\.75$/));
    expect(text).toContain('合计：志愿服务2次，累计服务时长2.75小时。');
    // Training, awards and evaluation: nothing on record, so 无 — never invented.
    for (const section of ['三、培训情况', '四、表彰奖励', '五、服务评价']) expect(lines[lines.indexOf(section) + 1]).toBe('无');
    expect(text).toContain('出具单位：滨河社区新时代文明实践站');
    expect(text).toContain(`${api.baseUrl}/#/volunteer/verify/index?serial=${serial}`);
  });

  it('with PUBLIC_H5_URL set, the verification link (JSON and PDF) points at the H5 app there', async () => {
    const h5 = await startTestApi(__filename, { PUBLIC_H5_URL: 'https://h5.example.cn/app/' });
    try {
      const mine = (await h5.request('GET', '/api/v1/certificates/mine', { token: wang })).body.items;
      expect(mine[0].verifyUrl).toBe(`https://h5.example.cn/app/#/volunteer/verify/index?serial=${serial}`);
      const pdf = await fetch(`${h5.baseUrl}/api/v1/certificates/${serial}/pdf`, { headers: { Authorization: `Bearer ${wang}` } });
      const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).flat().join('\n');
      expect(text).toContain(`https://h5.example.cn/app/#/volunteer/verify/index?serial=${serial}`);
    } finally {
      await h5.close();
    }
  });

  it('community staff may print it; another resident may not (404), nor anyone signed out', async () => {
    expect((await download(serial, centre)).status).toBe(200);
    const other = await download(serial, li);
    expect(other.status).toBe(404);
    expect(other.body.toString()).not.toContain('王秀英');
    expect((await download(serial)).status).toBe(401);
  });

  it('verifies publicly by serial: valid, the name masked, totals, issuer; never the ID number', async () => {
    const res = await fetch(`${api.baseUrl}/api/v1/certificates/${serial}`);
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(JSON.parse(raw)).toMatchObject({
      serial,
      status: 'valid',
      statusText: '有效',
      name: '王*英',
      totalMinutes: 165,
      totalHours: 2.75,
      serviceCount: 2,
      issuer: '滨河社区新时代文明实践站',
      issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      revokedOn: null,
      services: [
        { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), activityTitle: '河道清洁志愿服务', organiser: '滨河社区新时代文明实践站', minutes: 120 },
        { date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), activityTitle: '敬老院探访', organiser: '滨河社区新时代文明实践站', minutes: 45 },
      ],
    });
    for (const secret of [ID_NUMBER, '1101', '王秀英', 'idNumber', 'phone']) expect(raw).not.toContain(secret);

    expect((await api.request('GET', '/api/v1/certificates/ZYFW-2026-999999')).status).toBe(404);
    const malformed = await api.request('GET', '/api/v1/certificates/not-a-serial');
    expect(malformed.status).toBe(400);
  });

  it('revoked by community staff with a reason: verification says so, with the date and reason', async () => {
    expect((await api.request('POST', `/api/v1/staff/certificates/${serial}/revoke`, { token: wang, body: { reason: '自己撤销' } })).status).toBe(403);
    expect((await api.request('POST', `/api/v1/staff/certificates/${serial}/revoke`, { token: centre, body: {} })).status).toBe(400);
    const revoked = await api.request('POST', `/api/v1/staff/certificates/${serial}/revoke`, { token: centre, body: { reason: '服务时长登记有误，已重新出具' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedReason: '服务时长登记有误，已重新出具' });

    const check = await api.request('GET', `/api/v1/certificates/${serial}`);
    expect(check.body).toMatchObject({ status: 'revoked', revokedReason: '服务时长登记有误，已重新出具', revokedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(check.body.statusText).toContain('已撤销');
    expect(check.body.statusText).toContain('服务时长登记有误');

    const twice = await api.request('POST', `/api/v1/staff/certificates/${serial}/revoke`, { token: centre, body: { reason: '再撤销一次' } });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CERTIFICATE_REVOKED');

    const wangId = (await api.request('GET', '/api/v1/me', { token: wang })).body.id;
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(wangId), title: '志愿服务记录证明已撤销' })).toBe(1);

    // The revoked PDF says so on its face.
    const text = (await pdfText((await download(serial, wang)).body)).flat().join('\n');
    expect(text).toContain('撤销原因：服务时长登记有误，已重新出具');

    // A new request issues a new certificate with a new serial.
    const fresh = await api.request('POST', '/api/v1/certificates', { token: wang, body: {} });
    expect(fresh.status).toBe(201);
    expect(fresh.body.serial).not.toBe(serial);
    const mine = (await api.request('GET', '/api/v1/certificates/mine', { token: wang })).body.items;
    expect(mine.map((c: { status: string }) => c.status)).toEqual(['valid', 'revoked']);
  });
});

describe('the PDF layout', () => {
  it('breaks a long list over pages, repeating the table header, and leaves 性别 and 身份证号 blank without an ID number', async () => {
    const services = Array.from({ length: 90 }, (_, i) => ({
      date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
      activityTitle: `社区志愿服务第${i + 1}次`,
      organiser: '滨河社区新时代文明实践站',
      minutes: 90,
    }));
    const started = performance.now();
    const pdf = await renderCertificatePdf({
      serial: 'ZYFW-2026-000999',
      realName: '欧阳堃喆',
      gender: null,
      idNumber: null,
      communityName: '滨河社区',
      issuer: '滨河社区新时代文明实践站',
      services,
      totalMinutes: 90 * 90,
      training: [],
      awards: [{ title: '2026年度最美志愿者·最美志愿者', date: '2026-11-20' }],
      evaluation: [],
      issuedAt: new Date('2026-11-27T02:00:00Z'),
      issuedOn: '2026-11-27',
      verifyUrl: 'https://example.invalid/api/v1/certificates/ZYFW-2026-000999',
      revoked: null,
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    const pages = await pdfText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const lines = pages.flat();
    expect(lines).toContain('姓名 | 欧阳堃喆 | 性别');
    expect(lines).toContain('身份证号 | 所在社区 | 滨河社区');
    for (const page of pages.slice(1, -1)) expect(page).toContain('序号 | 日期 | 活动 | 组织单位 | 时长（小时）');
    for (let i = 1; i <= 90; i++) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${i} \\| 2026-\\d{2}-15 \\| 社区志愿服务第${i}次 \\| 滨河社区新时代文明实践站 \\| 1\\.5$`)));
    expect(lines).toContain('合计：志愿服务90次，累计服务时长135小时。');
    // pdf.js splits a line at the full-width space, like a table cell.
    expect(lines).toContain('2026-11-20 | 2026年度最美志愿者·最美志愿者');
    pages.forEach((page, i) => expect(page.at(-1)).toBe(`志愿服务记录证明 ZYFW-2026-000999 | 第${i + 1}页／共${pages.length}页`));
  });
});
