import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';
import { createPoll, oid, openPoll, ownersOf, uploadPhoto } from './support/polls';

/**
 * V1–V2: topics gather support until the threshold puts them on the council's
 * agenda (once, even when the last supporters tap together); every text passes
 * WeChat's content check before others see it (the stand-in's default script
 * answers "risky" for 违规广告 and "review" for 待人工审核).
 */
let api: TestApi;
let centre: string;
let wang: string;
let zhao: string;
let chen: string;
const db = () => mongoose.connection.db!;
const THRESHOLD = 5;

beforeAll(async () => {
  api = await startTestApi(__filename, { TOPIC_SUPPORT_THRESHOLD: String(THRESHOLD) });
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
  chen = (await api.loginWechat('demo-newcomer-chen')).accessToken;
}, 60_000);
afterAll(() => api.close());

const raise = (token: string, body: Record<string, unknown>) => api.request('POST', '/api/v1/topics', { token, body });
const topic = (overrides: Record<string, unknown> = {}) => ({ title: '小区东门加装雨棚', body: '下雨天东门口没有遮挡，老人进出很不方便，建议加装雨棚。', ...overrides });

describe('raising a topic', () => {
  it('refuses bad input and people without a room, storing nothing', async () => {
    const before = await db().collection('topics').countDocuments();
    for (const body of [topic({ title: '短' }), topic({ body: 'x'.repeat(2001) }), topic({ title: 7 }), { ...topic(), extra: 1 }, topic({ photoIds: ['nope'] })]) {
      const res = await raise(wang, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const stranger = await raise(chen, topic());
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.message).toContain('绑定房屋');
    expect(await db().collection('topics').countDocuments()).toBe(before);
  });

  it('refuses a risky text with a clear message and stores nothing', async () => {
    const before = await db().collection('topics').countDocuments();
    const res = await raise(wang, topic({ body: '这里有违规广告，大家快来看看吧吧吧' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CONTENT_RISKY');
    expect(await db().collection('topics').countDocuments()).toBe(before);
  });

  it('holds a text WeChat wants reviewed: only the author and staff see it until staff release it', async () => {
    const res = await raise(wang, topic({ title: '待人工审核的议题', body: '这是一段待人工审核的内容，需要工作人员看一下。' }));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('held');
    expect((await api.request('GET', `/api/v1/topics/${res.body.id}`, { token: zhao })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/topics/${res.body.id}`, { token: wang })).status).toBe(200);
    const queue = (await api.request('GET', '/api/v1/staff/topics/review', { token: centre })).body;
    expect(queue.topics.map((t: { id: string }) => t.id)).toContain(res.body.id);
    const released = await api.request('POST', `/api/v1/staff/topics/${res.body.id}/release`, { token: centre });
    expect(released.body.status).toBe('collecting');
    expect((await api.request('GET', `/api/v1/topics/${res.body.id}`, { token: zhao })).status).toBe(200);
  });

  it('shares attached photos with the community; someone else’s upload cannot be attached', async () => {
    const photo = await uploadPhoto(api, wang);
    const res = await raise(wang, topic({ title: '楼道灯坏了很久', photoIds: [photo] }));
    expect(res.status).toBe(201);
    const image = await fetch(`${api.baseUrl}${res.body.photoUrls[0]}`, { headers: { Authorization: `Bearer ${zhao}` } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const zhaoPhoto = await uploadPhoto(api, zhao);
    const stolen = await raise(wang, topic({ title: '别人的照片', photoIds: [zhaoPhoto] }));
    expect(stolen.status).toBe(400);
    // A photo not attached anywhere stays private to its uploader.
    expect((await fetch(`${api.baseUrl}/api/v1/uploads/${zhaoPhoto}`, { headers: { Authorization: `Bearer ${wang}` } })).status).toBe(404);
  });
});

describe('support', () => {
  it('counts each resident once, and the threshold moves the topic to the agenda exactly once, telling staff', async () => {
    const created = (await raise(wang, topic({ title: '增设快递柜' }))).body;
    expect(created.supportCount).toBe(1); // the author
    const rooms = await db().collection('rooms').find({ label: /^4号楼 1单元/ }).limit(8).toArray();
    const residents = await ownersOf(api, rooms, 'supporter');
    // Twice each, all at once: 8 more supporters, 16 taps.
    const taps = await Promise.all(residents.flatMap((r) => [1, 2].map(() => api.request('POST', `/api/v1/topics/${created.id}/support`, { token: r.token }))));
    expect(taps.every((t) => t.status === 200)).toBe(true);
    const after = (await api.request('GET', `/api/v1/topics/${created.id}`, { token: wang })).body;
    expect(after.supportCount).toBe(9);
    expect(await db().collection('topic_supports').countDocuments({ topicId: oid(created.id) })).toBe(9);
    expect(after.status).toBe('agenda');
    const centreUser = (await api.request('GET', '/api/v1/me', { token: centre })).body;
    const told = await db().collection('inbox_messages').countDocuments({ userId: oid(centreUser.id), title: '有议题列入议事会', body: /增设快递柜/ });
    expect(told).toBe(1);
  });

  it('staff cannot support, and a hidden topic takes no support', async () => {
    const created = (await raise(wang, topic({ title: '广场舞音量太大' }))).body;
    expect((await api.request('POST', `/api/v1/topics/${created.id}/support`, { token: centre })).status).toBe(403);
    await api.request('POST', `/api/v1/staff/topics/${created.id}/hide`, { token: centre, body: { reason: '与另一议题重复' } });
    const res = await api.request('POST', `/api/v1/topics/${created.id}/support`, { token: zhao });
    expect(res.status).toBe(404);
    const own = (await api.request('GET', `/api/v1/topics/${created.id}`, { token: wang })).body;
    expect(own.status).toBe('hidden');
    expect(own.hiddenReason).toBe('与另一议题重复');
  });
});

describe('comments', () => {
  let topicId: string;
  beforeAll(async () => {
    topicId = (await raise(wang, topic({ title: '垃圾分类投放点' }))).body.id;
  });

  it('a passing comment shows to everyone; a risky one is refused; a reviewed one is held for staff', async () => {
    const ok = await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: zhao, body: { text: '支持，建议放在北门' } });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('visible');
    const risky = await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: zhao, body: { text: '违规广告' } });
    expect(risky.status).toBe(422);
    expect(risky.body.error.message).toContain('社区公约');
    const held = await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: zhao, body: { text: '待人工审核的意见' } });
    expect(held.body.status).toBe('held');
    const seenByWang = (await api.request('GET', `/api/v1/topics/${topicId}`, { token: wang })).body;
    expect(seenByWang.comments.map((c: { text: string }) => c.text)).toEqual(['支持，建议放在北门']);
    expect(seenByWang.commentCount).toBe(1);
    const seenByZhao = (await api.request('GET', `/api/v1/topics/${topicId}`, { token: zhao })).body;
    expect(seenByZhao.comments).toHaveLength(2);
    expect(await db().collection('topic_comments').countDocuments({ topicId: oid(topicId) })).toBe(2);
  });

  it('bad comments are refused with a Chinese message', async () => {
    for (const body of [{ text: '' }, { text: 'x'.repeat(501) }, { text: 3 }, {}]) {
      const res = await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: zhao, body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('a hidden comment is kept: others see a placeholder, the author sees the text and why', async () => {
    const posted = (await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: zhao, body: { text: '物业都是骗子' } })).body;
    const hidden = await api.request('POST', `/api/v1/staff/comments/${posted.id}/hide`, { token: centre, body: { reason: '含人身攻击' } });
    expect(hidden.status).toBe(200);
    expect((await api.request('POST', `/api/v1/staff/comments/${posted.id}/hide`, { token: centre, body: { reason: '再隐藏一次' } })).status).toBe(409);
    const forWang = (await api.request('GET', `/api/v1/topics/${topicId}`, { token: wang })).body.comments.find((c: { id: string }) => c.id === posted.id);
    expect(forWang).toMatchObject({ status: 'hidden', text: null, hiddenReason: null });
    const forZhao = (await api.request('GET', `/api/v1/topics/${topicId}`, { token: zhao })).body.comments.find((c: { id: string }) => c.id === posted.id);
    expect(forZhao).toMatchObject({ status: 'hidden', text: '物业都是骗子', hiddenReason: '含人身攻击' });
    expect(await db().collection('topic_comments').countDocuments({ _id: oid(posted.id) })).toBe(1);
    expect((await api.request('GET', `/api/v1/topics/${topicId}`, { token: wang })).body.commentCount).toBe(1);
  });

  it('only centre staff moderate', async () => {
    const posted = (await api.request('POST', `/api/v1/topics/${topicId}/comments`, { token: wang, body: { text: '同意楼上' } })).body;
    expect((await api.request('POST', `/api/v1/staff/comments/${posted.id}/hide`, { token: zhao, body: { reason: '我不喜欢' } })).status).toBe(403);
  });
});

describe('the polls a topic led to', () => {
  it('are named on the topic with their state once open; a draft stays out of sight', async () => {
    const id = (await raise(wang, topic({ title: '北门加装快递柜' }))).body.id;
    const draft = await createPoll(api, centre, { title: '北门快递柜选址（草稿）', topicId: id });
    expect((await api.request('GET', `/api/v1/topics/${id}`, { token: zhao })).body.polls).toEqual([]);
    const opened = await openPoll(api, centre, { title: '北门快递柜选址', topicId: id });
    const seen = (await api.request('GET', `/api/v1/topics/${id}`, { token: zhao })).body;
    expect(seen.polls).toEqual([{ id: opened.id, title: '北门快递柜选址', status: 'open' }]);
    expect(seen.polls.map((p: { id: string }) => p.id)).not.toContain(draft.id);
  });
});
