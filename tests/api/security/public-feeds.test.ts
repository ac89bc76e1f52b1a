import mongoose, { Types } from 'mongoose';
import { Certificate } from '../../../api/src/modules/certificate/models';
import { startTestApi, type TestApi } from '../support/harness';

/**
 * Issue 12, finding 4, as an attacker without a key or a login: every public
 * feed is read raw, and nothing a resident or a desk wrote about a person may
 * come back — no phone, ID number, room, stored name, staff note or rating comment.
 */
let api: TestApi;
let wang: string;
let property: string;
let centre: string;
let serial: string;
const numbers: string[] = [];

const PHONE = '13912345678';
const ID_NUMBER = '110101195806121527';
// Distinct phrases of what only the desks and the resident wrote.
const RESOLVE_NOTE = '更换了厨房角阀';
const RATING_COMMENT = '态度很差还多收了两百块';
const VISIT_NOTE = '已当面道歉并退还费用';
const PAUSE_NOTE = '等业主下班回家开门';
const REVOKE_SECRET = '13812345678';

const db = () => mongoose.connection.db!;
const act = (token: string, caseId: string, action: string, body?: unknown) => api.request('POST', `/api/v1/staff/cases/${caseId}/${action}`, { token, body });
const mine = (token: string, caseId: string, action: string, body?: unknown) => api.request('POST', `/api/v1/cases/${caseId}/${action}`, { token, body });
const raw = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${api.baseUrl}${path}`, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
};

/** Whatever a public answer may not contain. Timestamps carry digits, so rooms are matched with their context. */
const FORBIDDEN: [string, RegExp][] = [
  ['a mobile number', /(?<!\d)1[3-9]\d(?:[ .-]?\d){8}(?!\d)/],
  ['an ID number', /(?<!\d)\d{17}[\dXx](?!\d)/],
  ['a room', /1单元\s*301|301室|楼上\s*402|402的|3-2-501|\b501\b/],
  ['a stored name', /王秀英|秀英|钱伟|孙晓燕|孙建华|建华|李建国|周海涛/],
  ['a staff note', new RegExp(`${RESOLVE_NOTE}|${VISIT_NOTE}|${PAUSE_NOTE}`)],
  ['a rating comment', new RegExp(RATING_COMMENT)],
  ['an e-mail or WeChat id', /xiuying58@126\.com|wxid_wangxy58/],
];
function expectClean(where: string, text: string) {
  for (const [what, pattern] of FORBIDDEN) {
    const hit = pattern.exec(text);
    if (hit) throw new Error(`${where} shows ${what}: "${hit[0]}" in ${text.slice(Math.max(0, hit.index - 60), hit.index + 60)}`);
  }
}

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  property = (await api.loginStaff('property')).accessToken;
  centre = (await api.loginStaff('centre')).accessToken;
  const roomId = (await api.request('GET', '/api/v1/me', { token: wang })).body.rooms[0].roomId;
  const b1 = (await db().collection('buildings').findOne({ name: '1号楼' }))!._id.toHexString();

  // A resident who writes everything into the complaint, and a desk that writes it into every note.
  const text =
    `我叫王秀英，住1号楼1单元301室，电话${PHONE}，身份证${ID_NUMBER}。楼上402的卫生间漏水到我家，` +
    `找过物业钱伟师傅，微信 wxid_wangxy58，邮箱 xiuying58@126.com，联系人：李建国 139 1234 5678。`;
  const created = await api.request('POST', '/api/v1/cases', {
    token: wang,
    body: { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId }, text, visibility: 'everyone' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  numbers.push(created.body.number);
  expect((await act(property, id, 'accept')).status).toBe(200);
  expect((await act(property, id, 'resolve', { note: `已联系王秀英（1号楼1单元301，${PHONE}），${RESOLVE_NOTE}` })).status).toBe(200);
  expect((await mine(wang, id, 'confirm')).body.status).toBe('closed');
  expect((await mine(wang, id, 'rate', { level: 1, comment: `钱伟${RATING_COMMENT}，我电话${PHONE}` })).status).toBe(200);
  expect((await act(centre, id, 'visit', { note: `回访王秀英 ${PHONE}，${VISIT_NOTE}` })).status).toBe(200);

  // One left paused, so its last step is a pause reason naming the household.
  const paused = await api.request('POST', '/api/v1/cases', {
    token: wang,
    body: { kind: 'repair', category: 'elevator', place: { kind: 'common', buildingId: b1, spot: '1单元301门口电梯' }, text: '电梯门关不上，3-2-501的孙建华也反映过', visibility: 'staff_only' },
  });
  numbers.push(paused.body.number);
  await act(property, paused.body.id, 'accept');
  const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
  expect((await act(property, paused.body.id, 'pause', { reason: `${PAUSE_NOTE}，王秀英${PHONE}`, resumeOn: tomorrow })).status).toBe(200);

  // One from the hotline, with the caller's details.
  const hotline = await fetch(`${api.baseUrl}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: 'dev-open311-key',
      service_code: 'noise',
      description: `来电人孙建华反映1号楼1单元301室晚上有噪音，回电${PHONE}`,
      address_string: '1号楼',
      last_name: '孙',
      first_name: '建华',
      phone: PHONE,
    }).toString(),
  });
  expect(hotline.status).toBe(201);
  numbers.push((await hotline.json())[0].service_request_id);

  // A revoked certificate whose reason, written by staff, names the volunteer and a phone.
  const community = (await db().collection('communities').findOne({}))!;
  serial = `ZYFW-2026-${String(900001).padStart(6, '0')}`;
  await Certificate.create({
    serial,
    communityId: community._id,
    userId: new Types.ObjectId(),
    realName: '王秀英',
    idNumber: ID_NUMBER,
    gender: '女',
    communityName: community.name,
    issuer: `${community.name}新时代文明实践站`,
    services: [{ signupId: new Types.ObjectId(), date: '2026-03-01', activityTitle: '楼道清扫', organiser: '社区居委会', minutes: 120 }],
    totalMinutes: 120,
    serviceCount: 1,
    issueKey: `revoked:${serial}`,
    issuedAt: new Date(),
    revokedAt: new Date(),
    revokedReason: `王秀英本人来电${REVOKE_SECRET}要求撤销，身份证${ID_NUMBER}登记有误`,
    revokedByName: '孙晓燕',
  });
}, 120_000);
afterAll(() => api.close());

beforeEach(() => db().collection('rate_counters').deleteMany({}));

describe('every public route, read raw', () => {
  it('Open311 lists, shows and describes without a single personal detail', async () => {
    const paths = [
      '/open311/v2/services.json',
      '/open311/v2/services/utilities.json',
      '/open311/v2/requests.json',
      '/open311/v2/requests.json?status=closed',
      '/open311/v2/requests.json?status=open,closed&service_code=utilities,elevator,noise',
      `/open311/v2/requests.json?service_request_id=${numbers.join(',')}`,
      ...numbers.map((n) => `/open311/v2/requests/${n}.json`),
    ];
    for (const path of paths) {
      const res = await raw(path);
      expect(res.status).toBe(200);
      expectClean(path, res.text);
    }
    const all = JSON.parse((await raw('/open311/v2/requests.json')).text) as Record<string, string>[];
    expect(all.map((r) => r.service_request_id).sort()).toEqual([...numbers].sort());
    for (const r of all) {
      expect(['已受理，等待处理单位接单', '处理中', '处理中（暂缓，等待条件具备）', '已处理，等待反映人确认', '已办结']).toContain(r.status_notes);
      expect(r.address).toMatch(/^1号楼（(居民家中|公共区域)）$/);
    }
    // The complaint still says what is wrong, for the hotline to follow.
    const leak = all.find((r) => r.service_code === 'utilities')!;
    expect(leak.description).toContain('卫生间漏水');
    expect(leak.description).toContain('1号楼');
    expect(leak.status).toBe('closed');
  });

  it('the scorecard shows counts per company and desk, no case and no person', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    for (const path of ['/api/v1/scorecards', `/api/v1/scorecards?month=${month}`]) {
      const res = await raw(path);
      expect(res.status).toBe(200);
      expectClean(path, res.text);
      const card = JSON.parse(res.text);
      expect(Object.keys(card).sort()).toEqual(['companies', 'desks', 'month', 'total']);
      const counts = ['acceptedInTime', 'cases', 'rated', 'reopened', 'resolved', 'resolvedInTime', 'satisfied'];
      expect(Object.keys(card.total).sort()).toEqual(counts);
      for (const c of card.companies) expect(Object.keys(c).sort()).toEqual([...counts, 'id', 'name'].sort());
      for (const d of card.desks) expect(Object.keys(d).sort()).toEqual([...counts, 'label', 'level'].sort());
    }
    expect(JSON.parse((await raw(`/api/v1/scorecards?month=${month}`)).text).total.cases).toBeGreaterThanOrEqual(3);
  });

  it('certificate verification shows the masked name, no ID number and no phone, even in a revocation reason', async () => {
    const res = await raw(`/api/v1/certificates/${serial}`);
    expect(res.status).toBe(200);
    expectClean('certificate', res.text);
    expect(res.text).not.toContain(REVOKE_SECRET);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ name: '王*英', status: 'revoked' });
    expect(body.revokedReason).toContain('要求撤销');
    expect(Object.keys(body)).not.toEqual(expect.arrayContaining(['idNumber']));
    expect((await raw('/api/v1/certificates/ZYFW-2026-999999')).status).toBe(404);
    expect((await raw('/api/v1/certificates/..%2Fetc')).status).toBe(400);
  });
});

describe('Open311 paging', () => {
  it('pages newest first, says where the next page is, and caps the page size', async () => {
    const first = await raw('/open311/v2/requests.json?page_size=1');
    const one = JSON.parse(first.text);
    expect(one).toHaveLength(1);
    expect(first.headers.get('link')).toMatch(/page=2.*rel="next"/);
    const second = JSON.parse((await raw('/open311/v2/requests.json?page_size=1&page=2')).text);
    expect(second).toHaveLength(1);
    expect(second[0].service_request_id).not.toBe(one[0].service_request_id);
    expect(one[0].requested_datetime >= second[0].requested_datetime).toBe(true);
    const last = await raw('/open311/v2/requests.json?page_size=100');
    expect(last.headers.get('link')).toBeNull();
    expect(JSON.parse((await raw('/open311/v2/requests.json?page=50')).text)).toEqual([]);
  });
});

describe('bad input answers 4xx in the GeoReport shape, never 500', () => {
  it.each([
    ['/open311/v2/requests.json?jurisdiction_id=nowhere', 404],
    ['/open311/v2/requests/FK000.json?jurisdiction_id=nowhere', 404],
    ['/open311/v2/requests.json?start_date=yesterday', 400],
    ['/open311/v2/requests.json?start_date=2026-01-01', 400],
    ['/open311/v2/requests.json?end_date=2026-13-45T00:00:00Z', 400],
    ['/open311/v2/requests.json?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z', 400],
    ['/open311/v2/requests.json?status=pending', 400],
    ['/open311/v2/requests.json?status=open&status=closed', 400],
    ['/open311/v2/requests.json?service_code=rockets', 400],
    ['/open311/v2/requests.json?service_code=elevator,rockets', 400],
    ['/open311/v2/requests.json?page_size=1000', 400],
    ['/open311/v2/requests.json?page=0', 400],
    ['/open311/v2/requests.json?page=-1', 400],
    ['/open311/v2/requests.json?service_request_id=%24ne', 400],
    ['/open311/v2/requests/FK000.json', 404],
    ['/open311/v2/requests/%3Cscript%3E.json', 404],
    ['/open311/v2/services/rockets.json', 404],
    ['/open311/v2/requests.xml', 400],
    ['/open311/v2/nothing-here', 404],
  ])('%s → %i', async (path, status) => {
    const res = await raw(path);
    expect(res.status).toBe(status);
    const body = JSON.parse(res.text);
    expect(body).toEqual([{ code: status, description: expect.any(String) }]);
    expect(body[0].description.length).toBeGreaterThan(3);
  });
});

it('query keys are names, never operators: jurisdiction_id[$ne] is an unknown parameter, ignored', async () => {
  const res = await raw('/open311/v2/requests.json?jurisdiction_id[$ne]=x&service_request_id[$gt]=');
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text)).toHaveLength(numbers.length);
});

describe('rate limits per address', () => {
  it('Open311 reads answer 429 after 60 a minute, in the standard shape, and a forged X-Forwarded-For does not reset it', async () => {
    const statuses = await Promise.all(Array.from({ length: 60 }, () => raw('/open311/v2/services.json').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await raw('/open311/v2/requests.json');
    expect(over.status).toBe(429);
    expect(JSON.parse(over.text)).toEqual([{ code: 429, description: expect.stringContaining('retry after') }]);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await raw('/open311/v2/requests/FK000.json', { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(429);
  });

  it('certificate verification answers 429 after 60 a minute', async () => {
    const statuses = await Promise.all(Array.from({ length: 60 }, () => raw(`/api/v1/certificates/${serial}`).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const over = await raw(`/api/v1/certificates/${serial}`);
    expect(over.status).toBe(429);
    expect(JSON.parse(over.text).error.code).toBe('RATE_LIMITED');
  });

  it('the scorecard answers 429 after 120 a minute', async () => {
    for (let batch = 0; batch < 4; batch++) {
      const statuses = await Promise.all(Array.from({ length: 30 }, () => raw('/api/v1/scorecards').then((r) => r.status)));
      expect(statuses.every((s) => s === 200)).toBe(true);
    }
    expect((await raw('/api/v1/scorecards')).status).toBe(429);
  });
});
