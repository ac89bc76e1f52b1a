import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { DiskFileStore } from '../../../api/src/modules/upload/storage';
import { startTestApi, type TestApi } from '../support/harness';
import { PNG, oid, uploadPhoto } from '../support/polls';

/**
 * Issue 12, finding 3: a photo is reachable only through the object that holds
 * it, under that object's rules, and its id cannot be guessed. Everything is
 * asked over HTTP, as an attacker would: the property desk, a grid worker of
 * another grid, a resident neighbour and people of another community try an
 * anonymous resident's in-home case photo, a topic photo, a campaign photo and
 * the raw GET /uploads/:id; every refusal must look exactly like a photo that
 * does not exist.
 */
let api: TestApi;
let wang: string; // 王秀英, 1号楼 (第一网格): the reporter and uploader
let zhao: string; // 赵磊, 9号楼: a resident neighbour
let centre: string;
let property: string;
let grid1: string; // 1号楼's own grid
let grid3: string; // another grid of the same community
let outsider: string; // a resident of another community
let outsiderStaff: string; // the centre of another community
const db = () => mongoose.connection.db!;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  zhao = (await api.loginWechat('demo-tenant-zhao')).accessToken;
  centre = (await api.loginStaff('centre')).accessToken;
  property = (await api.loginStaff('property')).accessToken;
  grid1 = (await api.loginStaff('grid1')).accessToken;
  grid3 = (await api.loginStaff('grid3')).accessToken;
  // Another community: its resident and its centre (the demo's newcomer and admin, moved there).
  const elsewhere = new mongoose.Types.ObjectId();
  const chen = await api.loginWechat('demo-newcomer-chen');
  await db().collection('users').updateOne({ _id: oid(chen.user.id) }, { $set: { communityId: elsewhere, roles: ['resident'] } });
  outsider = chen.accessToken;
  const admin = await api.loginStaff('admin');
  await db().collection('users').updateOne({ _id: oid(admin.user.id) }, { $set: { communityId: elsewhere } });
  outsiderStaff = admin.accessToken;
}, 60_000);
afterAll(() => api.close());

const get = (path: string, token: string) => api.request('GET', path, { token });
const raw = (id: string) => `/api/v1/uploads/${id}`;
const randomId = () => randomBytes(16).toString('hex');

/** A refusal, compared with the answer for a photo that does not exist: same status, code and words. */
async function expectRefused(path: string, token: string, nonexistentPath: string) {
  const [refused, missing] = await Promise.all([get(path, token), get(nonexistentPath, token)]);
  expect({ path, status: refused.status }).toEqual({ path, status: 404 });
  expect(missing.status).toBe(404);
  expect(refused.body.error).toMatchObject({ code: missing.body.error.code, message: missing.body.error.message });
  expect(String(refused.headers.get('content-type'))).toContain('json');
}

async function expectPhoto(path: string, token: string) {
  const res = await fetch(`${api.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
}

describe('upload ids', () => {
  it('are 32 random hex characters, not a counter', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await uploadPhoto(api, wang));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // ObjectIds made one after another share their first 8 characters (the second) and differ by a small count at the end.
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(1);
    for (let i = 1; i < ids.length; i++) {
      const gap = BigInt(`0x${ids[i]}`) - BigInt(`0x${ids[i - 1]}`);
      expect(gap < 0n ? -gap : gap).toBeGreaterThan(1n << 64n);
    }
    // The file is stored under the same id the client sees.
    expect(await db().collection('uploads').findOne({ _id: ids[0] as never })).toMatchObject({ heldBy: null });
  });

  it('are read by GET /uploads/:id by their uploader only; to everybody else a photo looks like one that does not exist', async () => {
    const id = await uploadPhoto(api, wang);
    await expectPhoto(raw(id), wang);
    for (const token of [zhao, centre, property, grid1, grid3, outsider, outsiderStaff]) await expectRefused(raw(id), token, raw(randomId()));
    // Even once it is attached to something they may see, the bare id is still not the way in.
    const c = (await api.request('POST', '/api/v1/cases', { token: wang, body: { kind: 'repair', category: 'cleaning', place: { kind: 'common', buildingId: await building1(), spot: '1单元楼道' }, text: '楼道灯一直不亮，晚上很黑', photoIds: [id] } })).body;
    expect(c.photoUrls).toEqual([`/api/v1/cases/${c.id}/photos/${id}`]);
    for (const token of [centre, property, grid1]) await expectRefused(raw(id), token, raw(randomId()));
    await expectPhoto(raw(id), wang);
  });

  it('of photos uploaded before (ObjectIds) still open for their uploader, and for nobody else', async () => {
    const wangId = (await get('/api/v1/me', wang)).body.id as string;
    const legacy = new mongoose.Types.ObjectId();
    await new DiskFileStore(api.config.uploadDir).put(legacy.toHexString(), PNG);
    await db().collection('uploads').insertOne({ _id: legacy, ownerId: oid(wangId), communityId: null, contentType: 'image/png', size: PNG.length, sha256: 'x', visibility: 'community', createdAt: new Date(), updatedAt: new Date() });
    await expectPhoto(raw(legacy.toHexString()), wang);
    // The old rule let the whole community in when a photo was on a topic ('community'); it no longer does.
    for (const token of [zhao, centre, grid1]) await expectRefused(raw(legacy.toHexString()), token, raw(new mongoose.Types.ObjectId().toHexString()));
  });
});

let b1: string | null = null;
async function building1(): Promise<string> {
  b1 ??= (await db().collection('buildings').findOne({ name: '1号楼' }))!._id.toHexString();
  return b1;
}

describe('a case photo taken inside an anonymous resident’s home', () => {
  let caseId: string;
  let photo: string;
  let url: string;

  beforeAll(async () => {
    const me = (await get('/api/v1/me', wang)).body;
    photo = await uploadPhoto(api, wang);
    const res = await api.request('POST', '/api/v1/cases', {
      token: wang,
      body: { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId: me.rooms[0].roomId }, text: '厨房水管漏水，柜子都泡了', photoIds: [photo], visibility: 'staff_only' },
    });
    expect(res.status).toBe(201);
    caseId = res.body.id;
    url = `/api/v1/cases/${caseId}/photos/${photo}`;
    expect(res.body.photoUrls).toEqual([url]);
    // The neighbour joins it as "the same problem": a follower of the case.
    expect((await api.request('POST', `/api/v1/cases/${caseId}/follow`, { token: zhao })).status).toBe(200);
  });

  it('is not shown to the property desk, a grid worker of another grid, a following neighbour or another community, and looks like no photo at all', async () => {
    const missingPhoto = `/api/v1/cases/${caseId}/photos/${randomId()}`;
    const missingCase = `/api/v1/cases/${new mongoose.Types.ObjectId().toHexString()}/photos/${photo}`;
    for (const token of [property, grid3, zhao, outsider, outsiderStaff]) {
      await expectRefused(url, token, missingPhoto);
      await expectRefused(url, token, missingCase);
      await expectRefused(raw(photo), token, raw(randomId()));
    }
    // Nor do their views of the case carry the photo's address.
    for (const token of [property, grid3, zhao]) {
      const view = await get(`/api/v1/cases/${caseId}`, token);
      if (view.status === 200) expect(JSON.stringify(view.body)).not.toContain(photo);
    }
  });

  it('is shown to the reporter, the centre and the grid worker of the case’s own grid', async () => {
    for (const token of [wang, centre, grid1]) await expectPhoto(url, token);
    expect((await get(`/api/v1/cases/${caseId}`, grid1)).body.photoUrls).toEqual([url]);
  });

  it('cannot be attached a second time, to another case or a topic, nor by someone else', async () => {
    const again = await api.request('POST', '/api/v1/cases', { token: wang, body: { kind: 'repair', category: 'cleaning', place: { kind: 'common', buildingId: await building1(), spot: '1单元门口' }, text: '门口的垃圾没人清理', photoIds: [photo] } });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const topic = await api.request('POST', '/api/v1/topics', { token: wang, body: { title: '小区水管老化要更换', body: '好几户都漏水了，建议统一更换老化的水管。', photoIds: [photo] } });
    expect(topic.status).toBe(400);
  });
});

describe('a case photo elsewhere (a common area)', () => {
  it('is shown to the desks and a following neighbour, and not to a neighbour who does not follow or another community', async () => {
    const photo = await uploadPhoto(api, wang);
    const c = (await api.request('POST', '/api/v1/cases', { token: wang, body: { kind: 'complaint', category: 'cleaning', place: { kind: 'common', buildingId: await building1(), spot: '2单元楼道' }, text: '楼道里堆满杂物，消防通道都堵了', photoIds: [photo], visibility: 'staff_only' } })).body;
    const url = c.photoUrls[0];
    const li = (await api.loginWechat('demo-elder-liu')).accessToken;
    for (const token of [li, outsider, outsiderStaff]) await expectRefused(url, token, `/api/v1/cases/${c.id}/photos/${randomId()}`);
    await api.request('POST', `/api/v1/cases/${c.id}/follow`, { token: zhao });
    for (const token of [wang, zhao, centre, property, grid1]) await expectPhoto(url, token);
  });
});

describe('attaching', () => {
  it('refuses someone else’s upload like one that does not exist, and a refused form leaves the uploader’s own photos free', async () => {
    const mine = await uploadPhoto(api, wang);
    const theirs = await uploadPhoto(api, zhao);
    const body = (photoIds: string[]) => ({ title: '小区东门加装雨棚', body: '下雨天东门口没有遮挡，老人进出很不方便。', photoIds });
    const stolen = await api.request('POST', '/api/v1/topics', { token: wang, body: body([mine, theirs]) });
    const unknown = await api.request('POST', '/api/v1/topics', { token: wang, body: body([mine, randomId()]) });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toEqual(unknown.body.error);
    // Nothing was attached: the photo goes on the next form, and zhao's own photo is still his to use.
    expect((await db().collection('uploads').findOne({ _id: mine as never }))!.heldBy).toBeNull();
    const topic = await api.request('POST', '/api/v1/topics', { token: wang, body: body([mine, mine]) });
    expect(topic.status).toBe(201);
    expect(topic.body.photoUrls).toEqual([`/api/v1/topics/${topic.body.id}/photos/${mine}`]);
    expect((await api.request('POST', '/api/v1/topics', { token: zhao, body: { ...body([theirs]), title: '东门雨棚我也支持' } })).status).toBe(201);
  });

  it('lets only one of two forms sent at once take the same photo', async () => {
    const photo = await uploadPhoto(api, wang);
    const send = (title: string) => api.request('POST', '/api/v1/topics', { token: wang, body: { title, body: '小区里的健身器材坏了好几件，希望修一修。', photoIds: [photo] } });
    const results = await Promise.all([send('健身器材坏了要修'), send('健身器材需要维修')]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
  });
});

describe('a topic photo', () => {
  let topicId: string;
  let url: string;
  let photo: string;

  beforeAll(async () => {
    photo = await uploadPhoto(api, wang);
    const res = await api.request('POST', '/api/v1/topics', { token: wang, body: { title: '楼下花坛改成停车位', body: '车越来越多，建议把楼下荒着的花坛改成几个停车位。', photoIds: [photo] } });
    expect(res.status).toBe(201);
    topicId = res.body.id;
    url = `/api/v1/topics/${topicId}/photos/${photo}`;
    expect(res.body.photoUrls).toEqual([url]);
  });

  it('is seen by the members of its community while the topic is open, by nobody of another community, never by its bare id', async () => {
    for (const token of [wang, zhao, centre, grid3, property]) await expectPhoto(url, token);
    for (const token of [outsider, outsiderStaff]) {
      await expectRefused(url, token, `/api/v1/topics/${topicId}/photos/${randomId()}`);
      await expectRefused(url, token, `/api/v1/topics/${new mongoose.Types.ObjectId().toHexString()}/photos/${photo}`);
    }
    for (const token of [zhao, centre, outsider]) await expectRefused(raw(photo), token, raw(randomId()));
    // Not through another topic either, even one the viewer may see.
    const other = (await api.request('POST', '/api/v1/topics', { token: zhao, body: { title: '小区里增加几个垃圾桶', body: '垃圾桶太少了，早上经常满出来。', photoIds: [] } })).body;
    await expectRefused(`/api/v1/topics/${other.id}/photos/${photo}`, zhao, `/api/v1/topics/${other.id}/photos/${randomId()}`);
  });

  it('once the topic is hidden, is seen by the centre (and its author) only', async () => {
    expect((await api.request('POST', `/api/v1/staff/topics/${topicId}/hide`, { token: centre, body: { reason: '涉及个人信息，先隐藏' } })).status).toBe(200);
    for (const token of [zhao, grid3, property, outsider]) await expectRefused(url, token, `/api/v1/topics/${topicId}/photos/${randomId()}`);
    for (const token of [centre, wang]) await expectPhoto(url, token);
  });
});

describe('a campaign nomination photo', () => {
  it('follows the nomination: the nominator and the centre while under review, the community once on notice, never another community', async () => {
    const campaign = (
      await api.request('POST', '/api/v1/staff/campaigns', {
        token: centre,
        body: { title: '2026年度滨河社区道德模范评选', categories: ['道德模范'], nominateUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), decision: 'panel', winnersPerCategory: 1 },
      })
    ).body;
    const photo = await uploadPhoto(api, wang);
    const nominated = await api.request('POST', `/api/v1/campaigns/${campaign.id}/nominations`, {
      token: wang,
      body: { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason: '多年来坚持照顾楼里的独居老人，风雨无阻，邻里都很敬佩。', photoIds: [photo] },
    });
    expect(nominated.status).toBe(201);
    const n = nominated.body.nominations.find((x: { mine: boolean }) => x.mine);
    const url = `/api/v1/campaigns/${campaign.id}/nominations/${n.id}/photos/${photo}`;
    expect(n.photoUrls).toEqual([url]);
    const missing = `/api/v1/campaigns/${campaign.id}/nominations/${n.id}/photos/${randomId()}`;

    for (const token of [zhao, grid1, outsider, outsiderStaff]) await expectRefused(url, token, missing);
    for (const token of [wang, centre]) await expectPhoto(url, token);

    expect((await api.request('POST', `/api/v1/staff/campaign-nominations/${n.id}/review`, { token: centre, body: { accept: true } })).status).toBe(200);
    expect((await api.request('POST', `/api/v1/staff/campaigns/${campaign.id}/notice`, { token: centre })).status).toBe(200);
    for (const token of [zhao, grid1, property]) await expectPhoto(url, token);
    for (const token of [outsider, outsiderStaff]) {
      await expectRefused(url, token, missing);
      await expectRefused(url, token, `/api/v1/campaigns/${new mongoose.Types.ObjectId().toHexString()}/nominations/${n.id}/photos/${photo}`);
    }
    for (const token of [zhao, centre, outsider]) await expectRefused(raw(photo), token, raw(randomId()));
  });
});
