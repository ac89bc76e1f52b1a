import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';
import { oid } from './support/polls';

/** A5: nominate → review → notice ≥ 7 days with answered objections → vote on the poll engine or panel → honour roll. */
let api: TestApi;
let centre: string;
let wang: string;
let zhao: string;
let li: string;
let liu: string;
const db = () => mongoose.connection.db!;

beforeAll(async () => {
  api = await startTestApi(__filename, { POLL_PUBLISH_GRACE_SECONDS: '0' });
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
  li = (await api.loginWechat('demo-family-li')).accessToken;
  liu = (await api.loginWechat('demo-elder-liu')).accessToken;
}, 60_000);
afterAll(() => api.close());

const campaignBody = (decision: 'vote' | 'panel') => ({
  title: '2026年度滨河社区道德模范评选',
  categories: ['道德模范', '文明家庭'],
  nominateUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  decision,
  winnersPerCategory: 1,
});
const reasonText = '多年来坚持照顾楼里的独居老人，风雨无阻，邻里都很敬佩。';

it('runs a public vote from nomination to honour roll', async () => {
  expect((await api.request('POST', '/api/v1/staff/campaigns', { token: wang, body: campaignBody('vote') })).status).toBe(403);
  const bad = await api.request('POST', '/api/v1/staff/campaigns', { token: centre, body: { ...campaignBody('vote'), noticeDays: 3 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
  const c = (await api.request('POST', '/api/v1/staff/campaigns', { token: centre, body: campaignBody('vote') })).body;
  const nominate = (token: string, body: Record<string, unknown>) => api.request('POST', `/api/v1/campaigns/${c.id}/nominations`, { token, body });

  expect((await nominate(wang, { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: '太短' })).status).toBe(400);
  expect((await nominate(wang, { category: '不存在', kind: 'neighbour', nomineeName: '刘桂兰', reason: reasonText })).status).toBe(400);
  const risky = await nominate(wang, { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: `${reasonText}违规广告` });
  expect(risky.body.error.code).toBe('CONTENT_RISKY');
  expect((await nominate(wang, { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: reasonText })).status).toBe(201);
  expect((await nominate(zhao, { category: '道德模范', kind: 'self', nomineeName: '赵磊', reason: reasonText })).status).toBe(201);
  expect((await nominate(li, { category: '文明家庭', kind: 'family', nomineeName: '王秀英家庭', reason: reasonText })).status).toBe(201);
  // Before the notice, nobody sees anyone else's nomination.
  expect((await api.request('GET', `/api/v1/campaigns/${c.id}`, { token: liu })).body.nominations).toHaveLength(0);

  const staffView = (await api.request('GET', `/api/v1/campaigns/${c.id}`, { token: centre })).body;
  const byName = (name: string) => staffView.nominations.find((n: { nomineeName: string }) => n.nomineeName === name).id;
  expect((await api.request('POST', `/api/v1/staff/campaign-nominations/${byName('赵磊')}/review`, { token: centre, body: { accept: false } })).status).toBe(400);
  expect((await api.request('POST', `/api/v1/staff/campaigns/${c.id}/notice`, { token: centre })).body.error.code).toBe('CAMPAIGN_WRONG_STAGE');
  for (const [name, accept, note] of [['刘桂兰', true], ['赵磊', true], ['王秀英家庭', true]] as const) {
    expect((await api.request('POST', `/api/v1/staff/campaign-nominations/${byName(name)}/review`, { token: centre, body: { accept, note } })).status).toBe(200);
  }
  const notice = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/notice`, { token: centre });
  expect(notice.body.stage).toBe('notice');
  expect(new Date(notice.body.noticeUntil).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
  expect((await api.request('GET', `/api/v1/campaigns/${c.id}`, { token: liu })).body.nominations).toHaveLength(3);

  const objection = await api.request('POST', `/api/v1/campaigns/${c.id}/objections`, { token: liu, body: { nominationId: byName('赵磊'), text: '他去年才搬来，事迹需要核实' } });
  expect(objection.status).toBe(201);
  const early = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/decide`, { token: centre, body: { closesAt: new Date(Date.now() + 86_400_000).toISOString() } });
  expect(early.status).toBe(409);
  expect(early.body.error.message).toContain('公示期满');
  // The notice period ends (moved in the database: the rule under test is what happens after it).
  await db().collection('campaigns').updateOne({ _id: oid(c.id) }, { $set: { noticeUntil: new Date(Date.now() - 60_000) } });
  const unanswered = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/decide`, { token: centre, body: { closesAt: new Date(Date.now() + 86_400_000).toISOString() } });
  expect(unanswered.body.error.code).toBe('OBJECTIONS_UNANSWERED');
  const objections = await db().collection('campaign_objections').find({ campaignId: oid(c.id) }).toArray();
  expect((await api.request('POST', `/api/v1/staff/campaign-objections/${objections[0]!._id.toHexString()}/answer`, { token: centre, body: { answer: '已走访核实，事迹属实' } })).status).toBe(200);
  const voting = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/decide`, { token: centre, body: { closesAt: new Date(Date.now() + 86_400_000).toISOString() } });
  expect(voting.body.stage).toBe('voting');
  expect(voting.body.pollId).toBeTruthy();

  // 道德模范: [刘桂兰, 赵磊]; 文明家庭: [王秀英家庭, 以上都不选].
  const vote = (token: string, answers: number[][]) => api.request('POST', `/api/v1/campaigns/${c.id}/vote`, { token, body: { answers } });
  expect((await vote(wang, [[0], [0]])).status).toBe(201);
  expect((await vote(liu, [[0], [1]])).status).toBe(201);
  expect((await vote(zhao, [[1], [0]])).status).toBe(201);
  const twice = await vote(zhao, [[0], [0]]);
  expect(twice.status).toBe(409);
  expect(twice.body.error.code).toBe('ALREADY_VOTED');
  expect((await vote(li, [[0, 1], [0]])).status).toBe(400);

  expect((await api.request('POST', `/api/v1/staff/campaigns/${c.id}/publish`, { token: centre, body: {} })).status).toBe(409);
  expect((await api.request('POST', `/api/v1/staff/polls/${voting.body.pollId}/close`, { token: centre })).status).toBe(200);
  const published = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/publish`, { token: centre, body: {} });
  expect(published.status).toBe(200);
  expect(published.body.stage).toBe('published');
  expect(published.body.honourRoll.map((h: { category: string; nomineeName: string }) => `${h.category}:${h.nomineeName}`).sort()).toEqual(['文明家庭:王秀英家庭', '道德模范:刘桂兰']);
  expect((await api.request('GET', `/api/v1/campaigns/${c.id}`, { token: zhao })).body.honourRoll).toHaveLength(2);
});

it('a panel appraisal publishes the panel’s choice from the notice list only', async () => {
  const c = (await api.request('POST', '/api/v1/staff/campaigns', { token: centre, body: { ...campaignBody('panel'), title: '最美志愿者评选' } })).body;
  await api.request('POST', `/api/v1/campaigns/${c.id}/nominations`, { token: wang, body: { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: reasonText } });
  const n = (await api.request('GET', `/api/v1/campaigns/${c.id}`, { token: centre })).body.nominations[0];
  await api.request('POST', `/api/v1/staff/campaign-nominations/${n.id}/review`, { token: centre, body: { accept: true } });
  await api.request('POST', `/api/v1/staff/campaigns/${c.id}/notice`, { token: centre });
  await db().collection('campaigns').updateOne({ _id: oid(c.id) }, { $set: { noticeUntil: new Date(Date.now() - 60_000) } });
  expect((await api.request('POST', `/api/v1/staff/campaigns/${c.id}/decide`, { token: centre, body: {} })).body.stage).toBe('appraisal');
  expect((await api.request('POST', `/api/v1/staff/campaigns/${c.id}/publish`, { token: centre, body: { winners: ['0'.repeat(24)] } })).status).toBe(400);
  const done = await api.request('POST', `/api/v1/staff/campaigns/${c.id}/publish`, { token: centre, body: { winners: [n.id] } });
  expect(done.body.honourRoll).toEqual([{ category: '道德模范', nomineeName: '刘桂兰', nominationId: n.id }]);
  expect((await api.request('POST', `/api/v1/staff/campaigns/${c.id}/publish`, { token: centre, body: { winners: [n.id] } })).status).toBe(409);
});
