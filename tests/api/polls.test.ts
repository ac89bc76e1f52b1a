import mongoose from 'mongoose';
import ExcelJS from 'exceljs';
import { startTestApi, type TestApi } from './support/harness';
import { buildingIds, cast, createPoll, oid, openPoll, ownersOf, pollBody, uploadPhoto } from './support/polls';

let api: TestApi;
let centre: string;
let grid1: string;
let grid3: string;
let wang: string; // owner of 1号楼 1单元 301–303
let li: string; // family member in 301
let zhao: string; // tenant in 9号楼
let chen: string; // not bound anywhere
const db = () => mongoose.connection.db!;

beforeAll(async () => {
  api = await startTestApi(__filename, { POLL_PUBLISH_GRACE_SECONDS: '0' });
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  grid1 = (await api.loginStaff('grid1')).accessToken;
  grid3 = (await api.loginStaff('grid3')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  li = (await api.loginWechat('demo-family-li')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
  chen = (await api.loginWechat('demo-newcomer-chen')).accessToken;
}, 60_000);
afterAll(() => api.close());

const counts = async (pollId: string) => ({
  participations: await db().collection('poll_participations').countDocuments({ pollId: oid(pollId) }),
  ballots: await db().collection('poll_ballots').countDocuments({ pollId: oid(pollId) }),
});

describe('creating a poll: bad input gets a clear Chinese message and creates nothing', () => {
  it('a title of 100 000 characters is refused before it is even parsed', async () => {
    const before = await db().collection('polls').countDocuments();
    const res = await api.request('POST', '/api/v1/staff/polls', { token: centre, body: pollBody({ title: '长'.repeat(100_000) }) });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await db().collection('polls').countDocuments()).toBe(before);
  });

  it.each([
    ['a title of 61 characters', { title: '长'.repeat(61) }, 'title'],
    ['a title of the wrong type', { title: 42 }, 'title'],
    ['closing before opening', { closesAt: new Date(Date.now() - 3600_000).toISOString() }, 'closesAt'],
    ['a single-choice question with one option', { questions: [{ title: '选哪个', kind: 'single', options: ['甲'] }] }, 'questions.0.options'],
    // Live results of a secret poll would show each voter's choice between two ballots.
    ['a secret poll with live results', { secrecy: 'secret', resultVisibility: 'live' }, 'resultVisibility'],
    ['an owner vote question without its matter', { countingUnit: 'owner', secrecy: 'named', questions: [{ title: '续聘物业', kind: 'yesno' }] }, 'questions.0.matter'],
    ['an unknown field', { colour: 'red' }, ''],
  ])('%s', async (_what, overrides, field) => {
    const before = await db().collection('polls').countDocuments();
    const res = await api.request('POST', '/api/v1/staff/polls', { token: centre, body: pollBody(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.error.details)).toContain(field);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await db().collection('polls').countDocuments()).toBe(before);
  });

  it('only centre staff create and open polls', async () => {
    expect((await api.request('POST', '/api/v1/staff/polls', { token: wang, body: pollBody() })).status).toBe(403);
    expect((await api.request('POST', '/api/v1/staff/polls', { token: grid1, body: pollBody() })).status).toBe(403);
  });

  it('a draft is invisible to residents and opens once', async () => {
    const { id } = await createPoll(api, centre);
    expect((await api.request('GET', `/api/v1/polls/${id}`, { token: wang })).status).toBe(404);
    const [a, b] = await Promise.all([
      api.request('POST', `/api/v1/staff/polls/${id}/open`, { token: centre }),
      api.request('POST', `/api/v1/staff/polls/${id}/open`, { token: centre }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await api.request('POST', `/api/v1/staff/polls/${id}/cancel`, { token: centre })).status).toBe(409);
  });
});

describe('an owner vote under art. 278 on 1号楼', () => {
  let pollId: string;
  let totals: { heads: number; area: number };

  beforeAll(async () => {
    const [b1] = await buildingIds(['1号楼']);
    const poll = await openPoll(api, centre, {
      title: '1号楼加装电梯',
      countingUnit: 'owner',
      secrecy: 'named',
      scope: { kind: 'buildings', ids: [b1] },
      questions: [{ title: '是否同意1号楼加装电梯', kind: 'yesno', matter: 7 }],
    });
    pollId = poll.id;
    totals = { heads: poll.participation.totalHeads, area: poll.participation.totalArea! };
  });

  it('counts the roll as the court says: 王秀英’s three rooms are one owner with their summed area', async () => {
    // Recount independently from the register: distinct owner sets of the building's rooms.
    const building = await db().collection('buildings').findOne({ name: '1号楼' });
    const rooms = await db().collection('rooms').find({ buildingId: building!._id }).toArray();
    const links = await db().collection('room_owners').find({ roomId: { $in: rooms.map((r) => r._id) } }).toArray();
    const setOf = new Map<string, string[]>();
    for (const l of links) setOf.set(l.roomId.toHexString(), [...(setOf.get(l.roomId.toHexString()) ?? []), l.ownerId.toHexString()]);
    const units = new Set(rooms.map((r) => setOf.get(r._id.toHexString())!.sort().join('+')));
    expect(rooms).toHaveLength(50);
    expect(totals.heads).toBe(units.size);
    expect(totals.heads).toBe(48);
    expect(totals.area).toBe(rooms.reduce((s, r) => s + r.areaCentiSquareMetres, 0));

    const view = (await api.request('GET', `/api/v1/polls/${pollId}`, { token: wang })).body;
    expect(view.myUnits).toHaveLength(1);
    expect(view.myUnits[0].label).toContain('301');
    expect(view.ruleText).toContain('三分之二');
    expect(view.ruleText).toContain('四分之三');
    expect(view.canVote).toBe(true);
  });

  it('refuses a tenant, a family member and an unbound person, and stores nothing', async () => {
    for (const token of [zhao, li]) {
      const res = await cast(api, token, pollId, { answers: [[0]] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('NOT_ON_ROLL');
    }
    // Someone of no community does not even learn the poll exists.
    expect((await cast(api, chen, pollId, { answers: [[0]] })).status).toBe(404);
    expect(await counts(pollId)).toEqual({ participations: 0, ballots: 0 });
  });

  it('refuses malformed answers with a Chinese message and stores nothing', async () => {
    for (const answers of [[[3]], [[0, 1]], [[]], [[0], [1]], 'yes', [['0']]]) {
      const res = await cast(api, wang, pollId, { answers });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await counts(pollId)).toEqual({ participations: 0, ballots: 0 });
  });

  it('takes one ballot for 王秀英’s three rooms; a replay returns the same receipt; a second ballot is refused', async () => {
    const key = 'wang-elevator-0001';
    const first = await cast(api, wang, pollId, { answers: [[0]] }, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body.receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // Changed for ballot secrecy: no answer is stored under the caller, so a replay is told it has voted,
    // with the same receipt (derived from poll and unit, not stored).
    const replay = await cast(api, wang, pollId, { answers: [[0]] }, { 'Idempotency-Key': key });
    expect(replay.status).toBe(409);
    expect(replay.body.error.details.receipt).toBe(first.body.receipt);
    const again = await cast(api, wang, pollId, { answers: [[1]] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_VOTED');
    expect(await counts(pollId)).toEqual({ participations: 1, ballots: 1 });
    const view = (await api.request('GET', `/api/v1/polls/${pollId}`, { token: wang })).body;
    expect(view.myUnits[0]).toMatchObject({ voted: true, channel: 'online', receipt: first.body.receipt });
    expect(view.canVote).toBe(false);
    expect(view.participation.heads).toBe(1);
  });

  it('keeps the result hidden until the close (the default)', async () => {
    const res = await api.request('GET', `/api/v1/polls/${pollId}/result`, { token: wang });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('RESULT_NOT_PUBLISHED');
  });

  it('paper ballots: the grid worker of the building enters one with a photo; online after paper is refused, naming the channel', async () => {
    const building = await db().collection('buildings').findOne({ name: '1号楼' });
    const room = await db().collection('rooms').findOne({ buildingId: building!._id, label: /2单元 101$/ });
    const [owner] = await ownersOf(api, [room!], 'paper-owner');
    const nonVoters = (await api.request('GET', `/api/v1/staff/polls/${pollId}/non-voters`, { token: grid1 })).body;
    const unit = nonVoters.items.find((u: { label: string }) => u.label.endsWith('2单元 101'));
    expect(unit).toBeTruthy();

    const evidence = await uploadPhoto(api, grid1);
    // Grid 3's worker may not enter ballots for grid 1's building.
    const foreign = await api.request('POST', `/api/v1/staff/polls/${pollId}/paper-ballots`, {
      token: grid3,
      body: { unitKey: unit.unitKey, answers: [[0]], channel: 'door', evidenceId: await uploadPhoto(api, grid3) },
    });
    expect(foreign.status).toBe(403);
    // Without a photo of the signed ballot there is no paper ballot.
    const noPhoto = await api.request('POST', `/api/v1/staff/polls/${pollId}/paper-ballots`, { token: grid1, body: { unitKey: unit.unitKey, answers: [[0]], channel: 'paper' } });
    expect(noPhoto.status).toBe(400);
    // Someone else's upload is not evidence either.
    const stolen = await api.request('POST', `/api/v1/staff/polls/${pollId}/paper-ballots`, {
      token: grid1,
      body: { unitKey: unit.unitKey, answers: [[0]], channel: 'paper', evidenceId: await uploadPhoto(api, wang) },
    });
    expect(stolen.status).toBe(400);

    const paper = await api.request('POST', `/api/v1/staff/polls/${pollId}/paper-ballots`, {
      token: grid1,
      body: { unitKey: unit.unitKey, answers: [[1]], channel: 'paper', evidenceId: evidence },
    });
    expect(paper.status).toBe(201);
    const online = await cast(api, owner!.token, pollId, { answers: [[0]] });
    expect(online.status).toBe(409);
    expect(online.body.error.code).toBe('ALREADY_VOTED');
    expect(online.body.error.message).toContain('已经交过纸质票了');

    // The reverse: an owner who voted online cannot also be entered on paper.
    const room2 = await db().collection('rooms').findOne({ buildingId: building!._id, label: /2单元 102$/ });
    const [owner2] = await ownersOf(api, [room2!], 'online-owner');
    expect((await cast(api, owner2!.token, pollId, { answers: [[0]] })).status).toBe(201);
    const unit2 = (await api.request('GET', `/api/v1/polls/${pollId}`, { token: owner2!.token })).body.myUnits[0];
    // (A photo is the evidence of one ballot: this one needs its own.)
    const late = await api.request('POST', `/api/v1/staff/polls/${pollId}/paper-ballots`, {
      token: grid1,
      body: { unitKey: unit2.key, answers: [[1]], channel: 'door', evidenceId: await uploadPhoto(api, grid1) },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('已经在线上投过票了');
    expect(await counts(pollId)).toEqual({ participations: 3, ballots: 3 });
  });

  it('closes, publishes both tests with their four figures, verifies, and exports the register', async () => {
    const closed = await api.request('POST', `/api/v1/staff/polls/${pollId}/close`, { token: centre });
    expect(closed.status).toBe(200);
    const result = (await api.request('GET', `/api/v1/polls/${pollId}/result`, { token: wang })).body;
    expect(result.final).toBe(true);
    expect(result.ballots).toBe(3);
    const q = result.questions[0];
    const chain = (await api.request('GET', `/api/v1/polls/${pollId}/chain`)).body;
    type Row = { answers: number[][]; area: number };
    const sealedRows: Row[] = chain.entries.flatMap((e: { ballots: Row[] }) => e.ballots);
    const yesArea = sealedRows.filter((b) => b.answers[0]![0] === 0).reduce((s, b) => s + b.area, 0);
    const allArea = sealedRows.reduce((s, b) => s + b.area, 0);
    expect(q.owner.participation).toMatchObject({ headsPart: 3, headsWhole: totals.heads, areaPart: allArea, areaWhole: totals.area, met: false });
    expect(q.owner.approval).toMatchObject({ headsPart: 2, headsWhole: 3, areaPart: yesArea, areaWhole: allArea });
    expect(q.owner.passed).toBe(false);
    expect(q.owner.matterLabel).toContain('改建');

    const verify = (await api.request('GET', `/api/v1/polls/${pollId}/verify`)).body;
    expect(verify).toMatchObject({ ok: true, entries: 3, participations: 3, problems: [] });

    const file = await fetch(`${api.baseUrl}/api/v1/staff/polls/${pollId}/export`, { headers: { Authorization: `Bearer ${centre}` } });
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const register = book.getWorksheet('表决票清册')!;
    const rows = register.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(1 + totals.heads);
    const wangRow = rows.find((r) => String(r[2]).includes('王秀英'))!;
    expect(wangRow).toContain('同意');
    expect(wangRow).toContain('线上投票');
    expect(book.getWorksheet('计票结果')).toBeTruthy();

    // After the close nobody can vote.
    const [late] = await ownersOf(api, [(await db().collection('rooms').findOne({ label: /^1号楼 2单元 103$/ }))!], 'late-owner');
    const res = await cast(api, late!.token, pollId, { answers: [[0]] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('POLL_NOT_OPEN');
  });

  it('objections during the notice period reach staff and are answered', async () => {
    const filed = await api.request('POST', `/api/v1/polls/${pollId}/objections`, { token: wang, body: { text: '我家的面积登记错了' } });
    expect(filed.status).toBe(201);
    const list = (await api.request('GET', `/api/v1/staff/polls/${pollId}/objections`, { token: centre })).body.items;
    expect(list).toHaveLength(1);
    const answered = await api.request('POST', `/api/v1/staff/poll-objections/${list[0].id}/answer`, { token: centre, body: { answer: '已核对不动产登记，面积无误' } });
    expect(answered.status).toBe(200);
    const twice = await api.request('POST', `/api/v1/staff/poll-objections/${list[0].id}/answer`, { token: centre, body: { answer: '再答一次' } });
    expect(twice.status).toBe(409);
    const mine = (await api.request('GET', `/api/v1/polls/${pollId}/objections/mine`, { token: wang })).body.items;
    expect(mine[0].answer).toContain('面积无误');
  });
});

describe('the voting window and the roll snapshot', () => {
  it('refuses a ballot before the poll opens', async () => {
    const poll = await openPoll(api, centre, { opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString() });
    const res = await cast(api, wang, poll.id, { answers: [[0]] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('POLL_NOT_OPEN');
    expect(res.body.error.message).toContain('开始');
  });

  it('a person who binds a room after the poll opened is not on its roll', async () => {
    const poll = await openPoll(api, centre);
    const [late] = await ownersOf(api, [(await db().collection('rooms').findOne({ label: /^7号楼 1单元 101$/ }))!], 'after-open');
    const res = await cast(api, late!.token, poll.id, { answers: [[0]] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_ON_ROLL');
    expect((await cast(api, wang, poll.id, { answers: [[0]] })).status).toBe(201);
  });
});

describe('a secret household vote', () => {
  let pollId: string;

  beforeAll(async () => {
    pollId = (
      await openPoll(api, centre, {
        title: '小区停车方案',
        countingUnit: 'room',
        secrecy: 'secret',
        questions: [{ title: '您支持哪种停车方案', kind: 'single', options: ['划线停车', '立体车库', '维持现状'] }],
      })
    ).id;
  });

  it('one ballot per household: 李 (family in 301) votes for 301; 王秀英 then votes for one of her other rooms', async () => {
    const liVote = await cast(api, li, pollId, { answers: [[1]] });
    expect(liVote.status).toBe(201);
    expect(liVote.body.unitLabel).toContain('301');
    // 王秀英 holds three households now, one voted: she must say which one.
    const view = (await api.request('GET', `/api/v1/polls/${pollId}`, { token: wang })).body;
    expect(view.myUnits).toHaveLength(3);
    expect(view.myUnits.filter((u: { voted: boolean }) => u.voted)).toHaveLength(1);
    const ambiguous = await cast(api, wang, pollId, { answers: [[0]] });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.code).toBe('UNIT_REQUIRED');
    const room301 = view.myUnits.find((u: { label: string }) => u.label.includes('301'));
    const dup = await cast(api, wang, pollId, { answers: [[0]], unitKey: room301.key });
    expect(dup.status).toBe(409);
    const room302 = view.myUnits.find((u: { label: string }) => u.label.includes('302'));
    expect((await cast(api, wang, pollId, { answers: [[0]], unitKey: room302.key })).status).toBe(201);
    const notMine = await cast(api, zhao, pollId, { answers: [[0]], unitKey: room302.key });
    expect(notMine.status).toBe(403);
  });

  it('shows no tally while open (secret polls never have live results) and keeps no link between voter and choice', async () => {
    // Changed for ballot secrecy: secret polls cannot be live (tests/api/security/ballot-secrecy.test.ts).
    const live = await api.request('GET', `/api/v1/polls/${pollId}/result`, { token: zhao });
    expect(live.status).toBe(409);
    expect(live.body.error.message).toContain('不记名投票在结束后才公布结果');

    const liUser = await db().collection('users').findOne({ nickname: { $exists: true }, _id: { $in: (await db().collection('bindings').find({ relation: 'family' }).toArray()).map((b) => b.userId) } });
    const ballots = await db().collection('poll_ballots').find({ pollId: oid(pollId) }).toArray();
    const participations = await db().collection('poll_participations').find({ pollId: oid(pollId) }).toArray();
    const raw = JSON.stringify(ballots);
    expect(raw).not.toContain(liUser!._id.toHexString());
    for (const p of participations) {
      expect(raw).not.toContain(p.unitKey);
      expect(raw).not.toContain(p.unitKey.replace('room:', ''));
      expect(p.castAt).toBeNull(); // the day only
      expect(Object.keys(p)).not.toContain('answers');
    }
    for (const b of ballots) {
      expect(Object.keys(b).sort()).toEqual(['_id', 'pollId', 'receiptHash', 'sealed']);
    }
    // Staff routes show who voted, never what they chose.
    const nonVoters = JSON.stringify((await api.request('GET', `/api/v1/staff/polls/${pollId}/non-voters`, { token: centre })).body);
    expect(nonVoters).not.toMatch(/answers|立体车库/);
    const file = await fetch(`${api.baseUrl}/api/v1/staff/polls/${pollId}/export`, { headers: { Authorization: `Bearer ${centre}` } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await file.arrayBuffer()) as never);
    const text = JSON.stringify(book.getWorksheet('投票名册')!.getSheetValues());
    expect(text).toContain('已投');
    expect(text).not.toMatch(/划线停车|立体车库/);
  });

  it('reminds only households that have not voted, once a day', async () => {
    const before = await db().collection('inbox_messages').countDocuments({ title: '投票快截止了' });
    const res = await api.request('POST', `/api/v1/staff/polls/${pollId}/remind`, { token: centre });
    expect(res.status).toBe(200);
    const reminded = await db().collection('inbox_messages').find({ title: '投票快截止了' }).toArray();
    expect(reminded.length - before).toBe(res.body.sent);
    // 李 voted for 301 and 王秀英 for 302: 王秀英 is still reminded for 303, 李 is not.
    const liId = (await api.loginWechat('demo-family-li')).user.id;
    const wangId = (await api.loginWechat('demo-owner-wang')).user.id;
    const to = new Set(reminded.map((m) => m.userId.toHexString()));
    expect(to.has(liId)).toBe(false);
    expect(to.has(wangId)).toBe(true);
    const again = await api.request('POST', `/api/v1/staff/polls/${pollId}/remind`, { token: centre });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('REMINDED_RECENTLY');
  });
});

describe('a family member with 议事投票 authority votes for the resident', () => {
  it('casts for 王秀英 in a person vote; she is told; without authority it is refused', async () => {
    const poll = await openPoll(api, centre, { title: '社区议事会成员推选' });
    const wangId = (await api.loginWechat('demo-owner-wang')).user.id;
    const liId = (await api.loginWechat('demo-family-li')).user.id;
    const denied = await cast(api, li, poll.id, { answers: [[0]], forResidentId: wangId });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('ACTING_NOT_ALLOWED');
    const grant = await api.request('POST', '/api/v1/authorities', { token: wang, body: { granteeId: liId, scopes: ['votes'], days: 7 } });
    expect(grant.status).toBe(201);
    const res = await cast(api, li, poll.id, { answers: [[0]], forResidentId: wangId });
    expect(res.status).toBe(201);
    const inbox = await db().collection('inbox_messages').findOne({ userId: oid(wangId), title: '家人替您投了票' });
    expect(inbox?.body).toContain('社区议事会成员推选');
    const view = (await api.request('GET', `/api/v1/polls/${poll.id}`, { token: wang })).body;
    expect(view.myUnits[0].voted).toBe(true);
  });
});

describe('receipts', () => {
  it('finds a sealed ballot by its receipt, and nothing by a made-up one', async () => {
    const poll = await openPoll(api, centre, { title: '活动室开放时间', secrecy: 'named' });
    const res = await cast(api, wang, poll.id, { answers: [[2]] });
    await api.services.polls.sealer.seal(poll.id);
    await api.services.polls.sealer.idle();
    const receipt = await api.request('GET', `/api/v1/receipts/${res.body.receipt}`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({ pollId: poll.id, sealed: true, seq: 1, batchSize: 1 });
    expect((await api.request('GET', '/api/v1/receipts/AAAA-BBBB-CCCC')).status).toBe(404);
    expect((await api.request('GET', '/api/v1/receipts/not-a-code')).status).toBe(400);
  });
});
