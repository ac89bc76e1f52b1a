import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';
import { oid } from './support/polls';

/**
 * V10 议事会: members called when the meeting is made (应到), sign-in on site by
 * the poster's code (one row per member: taps and replays count once; a retired
 * code and a closed window are refused), the quorum (过半数) before any
 * resolution, votes counted against those present, minutes in revisions, and
 * follow-ups residents can read.
 */
let api: TestApi;
let centre: string;
const people: Record<'wang' | 'liu' | 'zhao' | 'grid1' | 'property', { token: string; id: string }> = {} as never;
const db = () => mongoose.connection.db!;
const HOUR = 3_600_000;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  for (const [key, openid] of [['wang', 'demo-owner-wang'], ['liu', 'demo-elder-liu'], ['zhao', 'demo-tenant-zhao']] as const) {
    const login = await api.loginWechat(openid);
    people[key] = { token: login.accessToken, id: login.user.id };
  }
  for (const key of ['grid1', 'property'] as const) {
    const login = await api.loginStaff(key);
    people[key] = { token: login.accessToken, id: login.user.id };
  }
}, 60_000);
afterAll(() => api.close());

const post = (path: string, token: string, body?: unknown, headers?: Record<string, string>) => api.request('POST', `/api/v1${path}`, { token, body, headers });
const get = (path: string, token: string) => api.request('GET', `/api/v1${path}`, { token });
const meetingBody = (startsIn: number, overrides: Record<string, unknown> = {}) => ({
  title: '居民议事会',
  place: '社区活动中心二楼',
  startsAt: new Date(Date.now() + startsIn).toISOString(),
  endsAt: new Date(Date.now() + startsIn + 2 * HOUR).toISOString(),
  agenda: [{ title: '楼道照明' }, { title: '东门雨棚' }],
  ...overrides,
});

describe('the council', () => {
  it('only the centre keeps it; a person is a member once; someone outside the community cannot be added', async () => {
    expect((await post('/staff/council-members', people.wang.token, { userId: people.liu.id, title: 'resident_rep' })).status).toBe(403);
    for (const body of [{ userId: 'nope', title: 'resident_rep' }, { userId: people.liu.id, title: 'king' }, { userId: people.liu.id }, { userId: people.liu.id, title: 'resident_rep', extra: 1 }]) {
      const res = await post('/staff/council-members', centre, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const chen = await api.loginWechat('demo-newcomer-chen');
    expect((await post('/staff/council-members', centre, { userId: chen.user.id, title: 'resident_rep' })).status).toBe(404);

    for (const [key, title] of [['wang', 'building_head'], ['liu', 'resident_rep'], ['grid1', 'staff'], ['property', 'property_rep']] as const) {
      expect((await post('/staff/council-members', centre, { userId: people[key].id, title })).status).toBe(201);
    }
    const twice = await Promise.all([1, 2].map(() => post('/staff/council-members', centre, { userId: people.wang.id, title: 'building_head' })));
    expect(twice.map((r) => r.status)).toEqual([409, 409]);
    expect(await db().collection('council_members').countDocuments({ userId: oid(people.wang.id) })).toBe(1);

    // Leaving keeps the row; coming back is the same row again.
    expect((await api.request('DELETE', `/api/v1/staff/council-members/${people.liu.id}`, { token: centre })).status).toBe(200);
    expect((await api.request('DELETE', `/api/v1/staff/council-members/${people.liu.id}`, { token: centre })).status).toBe(404);
    expect((await get('/staff/council-members', centre)).body.items.map((m: { name: string }) => m.name)).not.toContain('刘桂兰');
    expect((await post('/staff/council-members', centre, { userId: people.liu.id, title: 'resident_rep' })).status).toBe(201);
    const members = (await get('/staff/council-members', centre)).body.items;
    expect(members).toHaveLength(4);
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(people.liu.id), title: '您已成为居民议事会成员' })).toBe(1);
  });
});

describe('calling a meeting', () => {
  it('refuses bad input and storing nothing; a topic must be on the agenda first', async () => {
    const before = await db().collection('meetings').countDocuments();
    for (const body of [
      meetingBody(HOUR, { endsAt: new Date(Date.now()).toISOString() }),
      meetingBody(HOUR, { endsAt: new Date(Date.now() + 12 * HOUR).toISOString() }),
      meetingBody(HOUR, { agenda: [] }),
      meetingBody(HOUR, { title: 'x'.repeat(100_000) }),
      meetingBody(HOUR, { place: 7 }),
      meetingBody(HOUR, { agenda: [{ title: '同一个', topicId: 'a'.repeat(24) }, { title: '同一个', topicId: 'a'.repeat(24) }] }),
    ]) {
      const res = await post('/staff/meetings', centre, body);
      // 100 000 characters stop at the body limit (413) before the schema (400).
      expect([400, 413]).toContain(res.status);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await post('/staff/meetings', people.wang.token, meetingBody(HOUR))).status).toBe(403);
    const topic = (await post('/topics', people.wang.token, { title: '楼下装个快递柜', body: '快递总是堆在门口，老人取件不方便，建议装一个快递柜。' })).body;
    const notYet = await post('/staff/meetings', centre, meetingBody(HOUR, { agenda: [{ title: '快递柜', topicId: topic.id }] }));
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.message).toContain('还没有列入议事会');
    expect(await db().collection('meetings').countDocuments()).toBe(before);
  });

  it('fixes 应到 from the members now, tells them, and a replay makes one meeting', async () => {
    const key = { 'Idempotency-Key': 'meeting-call-1' };
    const [a, b] = await Promise.all([post('/staff/meetings', centre, meetingBody(30 * 60_000), key), post('/staff/meetings', centre, meetingBody(30 * 60_000), key)]);
    expect([a.status, b.status].filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(await db().collection('meetings').countDocuments({ title: '居民议事会' })).toBe(1);
    const m = a.status === 201 ? a.body : b.body;
    expect(m).toMatchObject({ expected: 4, present: 0, quorum: 3, quorumMet: false, signInOpen: true, status: 'scheduled' });
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(people.grid1.id), title: '议事会通知' })).toBe(1);
    // A resident who is not a member sees it too, and is told she is not one.
    const seen = (await get(`/meetings/${m.id}`, people.zhao.token)).body;
    expect(seen.me).toEqual({ member: false, signedInAt: null });
  });
});

describe('on the day', () => {
  let meetingId: string;
  let code: string;

  beforeAll(async () => {
    // Started ten minutes ago: sign-in is open, minutes and resolutions may be recorded.
    meetingId = (await post('/staff/meetings', centre, meetingBody(-10 * 60_000, { title: '今晚的议事会' }))).body.id;
    code = (await post(`/staff/meetings/${meetingId}/sign-in-code`, centre)).body.code;
  });

  it('a member signs in once however many times the code is sent', async () => {
    const taps = await Promise.all([1, 2, 3, 4].map(() => post('/meetings/sign-in', people.wang.token, { code })));
    expect(taps.map((t) => t.status)).toEqual([200, 200, 200, 200]);
    const m = (await get(`/meetings/${meetingId}`, people.wang.token)).body;
    expect(m.present).toBe(1);
    expect(m.me.member).toBe(true);
    expect(m.me.signedInAt).not.toBeNull();
    expect(await db().collection('meeting_attendance').countDocuments({ meetingId: oid(meetingId) })).toBe(1);
  });

  it('refuses someone not on the council, a bad code, and a photo of a retired poster', async () => {
    const stranger = await post('/meetings/sign-in', people.zhao.token, { code });
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('NOT_COUNCIL_MEMBER');
    expect((await post('/meetings/sign-in', people.liu.token, { code: 'short' })).status).toBe(400);
    expect((await post('/meetings/sign-in', people.liu.token, { code: 'ZZZZZZZZZZ' })).body.error.code).toBe('MEETING_CODE_INVALID');
    const fresh = (await post(`/staff/meetings/${meetingId}/sign-in-code`, centre)).body.code;
    const old = await post('/meetings/sign-in', people.liu.token, { code });
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe('MEETING_CODE_INVALID');
    // The poster in force can be shown again without retiring it.
    expect((await get(`/staff/meetings/${meetingId}/sign-in-code`, centre)).body.current.code).toBe(fresh);
    // In WeChat the poster is a mini-program code whose scene is the code itself.
    const image = await fetch(`${api.baseUrl}/api/v1/staff/meetings/${meetingId}/sign-in-code/code.png`, { headers: { Authorization: `Bearer ${centre}` } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const refused = await fetch(`${api.baseUrl}/api/v1/staff/meetings/${meetingId}/sign-in-code/code.png`, { headers: { Authorization: `Bearer ${people.wang.token}` } });
    expect(refused.status).toBe(403);
    code = fresh;
    expect((await get(`/meetings/${meetingId}`, centre)).body.present).toBe(1);
  });

  it('no resolution without the quorum; then votes are counted against those present', async () => {
    const decide = (body: Record<string, unknown>) => post(`/staff/meetings/${meetingId}/resolutions`, centre, { agendaIndex: 0, text: '楼道灯换成感应灯', yes: 1, no: 0, abstain: 0, owner: '金城物业', dueDate: '2026-12-31', ...body });
    const early = await decide({});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MEETING_NO_QUORUM');

    expect((await post('/meetings/sign-in', people.liu.token, { code })).status).toBe(200);
    // 郑志强 came without his phone: the desk signs him in (twice tapped, once counted).
    const desk = await Promise.all([1, 2].map(() => post(`/staff/meetings/${meetingId}/attendance`, centre, { userId: people.grid1.id })));
    expect(desk.map((d) => d.status)).toEqual([200, 200]);
    expect(desk[0]!.body.method).toBe('desk');
    expect((await post(`/staff/meetings/${meetingId}/attendance`, centre, { userId: people.zhao.id })).body.error.code).toBe('NOT_COUNCIL_MEMBER');
    const attendance = (await get(`/staff/meetings/${meetingId}/attendance`, centre)).body.items;
    expect(attendance).toHaveLength(4);
    expect(attendance.filter((a: { signedInAt: string | null }) => a.signedInAt).length).toBe(3);
    const m = (await get(`/meetings/${meetingId}`, people.wang.token)).body;
    expect(m).toMatchObject({ present: 3, quorum: 3, quorumMet: true });

    const tooMany = await decide({ yes: 2, no: 1, abstain: 1 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe('RESOLUTION_COUNTS_INVALID');
    expect((await decide({ agendaIndex: 5 })).status).toBe(400);
    expect((await decide({ dueDate: '2026-02-30' })).status).toBe(400);

    // Two desks record the same item at once: one decision.
    const [x, y] = await Promise.all([decide({ yes: 2, no: 1 }), decide({ yes: 2, no: 1 })]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    const passed = x.status === 201 ? x.body : y.body;
    expect(passed).toMatchObject({ passed: true, present: 3, yes: 2, status: 'open', agendaTitle: '楼道照明' });
    // 1 of 3 present is not more than half.
    const failed = (await decide({ agendaIndex: 1, text: '东门加装雨棚', yes: 1, no: 2 })).body;
    expect(failed.passed).toBe(false);
    expect((await post(`/staff/resolutions/${failed.id}/follow-ups`, centre, { note: '不落实', status: 'done' })).status).toBe(409);
    expect(await db().collection('resolutions').countDocuments({ meetingId: oid(meetingId) })).toBe(2);
  });

  it('follow-ups move a resolution to done, and residents read them', async () => {
    const [r] = (await get(`/meetings/${meetingId}`, centre)).body.resolutions;
    const step = await post(`/staff/resolutions/${r.id}/follow-ups`, centre, { note: '物业已订购感应灯', status: 'in_progress' });
    expect(step.body.status).toBe('in_progress');
    expect((await post(`/staff/resolutions/${r.id}/follow-ups`, centre, { note: 'x', status: 'done' })).status).toBe(400);
    expect((await post(`/staff/resolutions/${r.id}/follow-ups`, people.wang.token, { note: '我来装', status: 'done' })).status).toBe(403);
    expect((await post(`/staff/resolutions/${r.id}/follow-ups`, centre, { note: '1至3单元已全部换好', status: 'done' })).body.status).toBe('done');
    const late = await post(`/staff/resolutions/${r.id}/follow-ups`, centre, { note: '又坏了一盏', status: 'in_progress' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('RESOLUTION_DONE');
    const seen = (await get(`/meetings/${meetingId}`, people.zhao.token)).body.resolutions[0];
    expect(seen.followUps.map((f: { note: string }) => f.note)).toEqual(['物业已订购感应灯', '1至3单元已全部换好']);
  });

  it('keeps every revision of the minutes; two saving at once do not overwrite each other silently', async () => {
    expect((await post(`/staff/meetings/${meetingId}/minutes`, centre, { text: '太短' })).status).toBe(400);
    expect((await post(`/staff/meetings/${meetingId}/minutes`, centre, { text: '纪'.repeat(10_001) })).status).toBe(400);
    const first = await post(`/staff/meetings/${meetingId}/minutes`, centre, { text: '应到4人，实到3人。议定楼道换感应灯。' });
    expect(first.body.minutes).toMatchObject({ revision: 1 });
    const both = await Promise.all(['修订甲：应到4人，实到3人，议定两项。', '修订乙：应到4人，实到3人，议定两项。'].map((text) => post(`/staff/meetings/${meetingId}/minutes`, centre, { text })));
    const ok = both.filter((r) => r.status === 200);
    expect(both.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(await db().collection('meeting_minutes').countDocuments({ meetingId: oid(meetingId) })).toBe(1 + ok.length);
    const now = (await get(`/meetings/${meetingId}`, people.wang.token)).body.minutes;
    expect(now.revision).toBe(1 + ok.length);
  });
});

describe('before and after', () => {
  it('sign-in is closed three hours ahead; minutes wait for the start; a cancelled meeting takes nothing', async () => {
    const later = (await post('/staff/meetings', centre, meetingBody(3 * HOUR, { title: '下周的议事会' }))).body;
    expect(later.signInOpen).toBe(false);
    expect((await fetch(`${api.baseUrl}/api/v1/staff/meetings/${later.id}/sign-in-code/code.png`, { headers: { Authorization: `Bearer ${centre}` } })).status).toBe(404);
    const code = (await post(`/staff/meetings/${later.id}/sign-in-code`, centre)).body.code;
    const early = await post('/meetings/sign-in', people.wang.token, { code });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MEETING_SIGN_IN_CLOSED');
    expect((await post(`/staff/meetings/${later.id}/minutes`, centre, { text: '提前写好的会议纪要内容' })).body.error.code).toBe('MEETING_NOT_STARTED');

    expect((await post(`/staff/meetings/${later.id}/cancel`, centre, { reason: '' })).status).toBe(400);
    const cancelled = await post(`/staff/meetings/${later.id}/cancel`, centre, { reason: '会议室停电检修' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '会议室停电检修' });
    expect((await post(`/staff/meetings/${later.id}/cancel`, centre, { reason: '再取消一次' })).body.error.code).toBe('MEETING_CANCELLED');
    expect((await post('/meetings/sign-in', people.wang.token, { code })).body.error.code).toBe('MEETING_CANCELLED');
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(people.liu.id), title: '议事会取消了' })).toBe(1);
  });

  it('lists upcoming meetings soonest first and past ones latest first', async () => {
    const upcoming = (await get('/meetings?when=upcoming', people.wang.token)).body.items.map((m: { startsAt: string }) => Date.parse(m.startsAt));
    expect(upcoming.length).toBeGreaterThan(0);
    expect([...upcoming].sort((a, b) => a - b)).toEqual(upcoming);
    // The list says, for each meeting, whether I signed in and how many resolutions it has.
    const tonight = (await get('/meetings?when=upcoming', people.wang.token)).body.items.find((m: { title: string }) => m.title === '今晚的议事会');
    expect(tonight.me.signedInAt).not.toBeNull();
    expect(tonight.resolutionCount).toBe(2);
    const forZhao = (await get('/meetings?when=upcoming', people.zhao.token)).body.items.find((m: { title: string }) => m.title === '今晚的议事会');
    expect(forZhao.me).toEqual({ member: false, signedInAt: null });
    expect((await get('/meetings?when=someday', people.wang.token)).status).toBe(400);
    expect((await get(`/meetings/${'f'.repeat(24)}`, people.wang.token)).status).toBe(404);
  });
});

describe('a topic residents raised', () => {
  it('shows the meeting that took it up and what it decided; its author is told', async () => {
    const topic = (await post('/topics', people.wang.token, { title: '北门增设非机动车棚', body: '北门电动车乱停，下雨淋湿还容易出事，建议增设车棚和充电桩。' })).body;
    expect((await post(`/staff/topics/${topic.id}/agenda`, centre)).status).toBe(200);
    const meeting = (await post('/staff/meetings', centre, meetingBody(-5 * 60_000, { title: '车棚专题议事会', agenda: [{ title: '北门车棚', topicId: topic.id }] }))).body;
    let seen = (await get(`/topics/${topic.id}`, people.zhao.token)).body;
    expect(seen.meetings).toEqual([{ id: meeting.id, title: '车棚专题议事会', startsAt: meeting.startsAt, cancelled: false, resolution: null }]);

    for (const key of ['wang', 'liu', 'property'] as const) {
      expect((await post(`/staff/meetings/${meeting.id}/attendance`, centre, { userId: people[key].id })).status).toBe(200);
    }
    const decided = await post(`/staff/meetings/${meeting.id}/resolutions`, centre, { agendaIndex: 0, text: '北门东侧建车棚，装8个充电口', yes: 3, no: 0, abstain: 0, owner: '金城物业', dueDate: '2027-03-31' });
    expect(decided.status).toBe(201);
    expect(decided.body.topicId).toBe(topic.id);
    seen = (await get(`/topics/${topic.id}`, people.zhao.token)).body;
    expect(seen.meetings[0].resolution).toEqual({ text: '北门东侧建车棚，装8个充电口', passed: true, status: 'open' });
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(people.wang.id), title: '您的议题在议事会上通过了' })).toBe(1);
    expect(await db().collection('inbox_messages').countDocuments({ userId: oid(people.wang.id), title: '您的议题要在议事会上讨论了' })).toBe(1);
  });
});

describe('who the centre may put on the council', () => {
  it('lists the desk people by name and desk only, for the centre and nobody else', async () => {
    const res = await get('/staff/council-members/staff-candidates', centre);
    expect(res.status).toBe(200);
    const byName = new Map(res.body.items.map((c: { name: string; desk: string }) => [c.name, c.desk]));
    expect(byName.get('钱伟')).toBe('property_staff');
    expect(byName.get('周海涛')).toBe('grid_worker');
    expect(Object.keys(res.body.items[0]).sort()).toEqual(['desk', 'name', 'userId']);
    expect((await get('/staff/council-members/staff-candidates', people.property.token)).status).toBe(403);
    expect((await get('/staff/council-members/staff-candidates', people.wang.token)).status).toBe(403);
  });
});
