import mongoose from 'mongoose';
import { startTestApi, type TestApi } from './support/harness';
import { PNG, oid, uploadPhoto } from './support/polls';

/**
 * What each viewer of a case sees, on the raw JSON: an anonymous resident's
 * name, phone and room never reach followers, the similar list, the property
 * desk, the public scorecard or Open311; followers see the problem's photos
 * (not those of an anonymous resident's home); the desk's photos come back in
 * the history; the view carries visibility, pausedUntil and the building; and
 * the centre can delete a promise rule, the defaults applying again.
 */
let api: TestApi;
let centre: string;
let property: string;
let wang: string;
let zhao: string;
let zhaoId: string;
let wangRoomId: string;
let wangRoom: string;
let b1: string;
const db = () => mongoose.connection.db!;
const HOUR = 3600_000;
const WANG = /王秀英|王\*英|13800000001|1380\*\*\*\*0001|1单元/;

beforeAll(async () => {
  api = await startTestApi(__filename);
  await api.seed();
  centre = (await api.loginStaff('centre')).accessToken;
  property = (await api.loginStaff('property')).accessToken;
  const w = await api.loginWechat('demo-owner-wang');
  wang = w.accessToken;
  const z = await api.loginWechat('demo-tenant-zhao');
  zhao = z.accessToken;
  zhaoId = z.user.id;
  const me = (await api.request('GET', '/api/v1/me', { token: wang })).body;
  wangRoomId = me.rooms[0].roomId;
  wangRoom = me.rooms[0].label; // e.g. 1号楼 1单元 303
  b1 = (await db().collection('buildings').findOne({ name: '1号楼' }))!._id.toHexString();
  await db().collection('users').updateOne({ _id: oid(w.user.id) }, { $set: { phone: '13800000001' } });
}, 60_000);
afterAll(() => api.close());

const report = (token: string, overrides: Record<string, unknown> = {}) =>
  api.request('POST', '/api/v1/cases', {
    token,
    body: { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId: wangRoomId }, text: '卫生间天花板渗水，一直在滴', ...overrides },
  });
const act = (token: string, caseId: string, action: string, body?: unknown) => api.request('POST', `/api/v1/staff/cases/${caseId}/${action}`, { token, body });
const fetchPhoto = (path: string, token: string) => fetch(`${api.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('an anonymous resident’s home', () => {
  let anon: { id: string; photoUrls: string[] };

  beforeAll(async () => {
    const photo = await uploadPhoto(api, wang);
    const res = await report(wang, { photoIds: [photo], visibility: 'staff_only' });
    expect(res.status).toBe(201);
    anon = res.body;
  });

  it('is only its building in the similar list and to a follower, with no name, phone, room or photo', async () => {
    const similar = await api.request('GET', `/api/v1/cases/similar?buildingId=${b1}&category=utilities`, { token: zhao });
    const offered = similar.body.items.find((i: { id: string }) => i.id === anon.id);
    expect(offered).toMatchObject({ reporterName: '匿名居民', reporterPhone: null, placeLabel: '1号楼 居民家中（房号不公开）', photoUrls: [], visibility: null, buildingId: b1 });
    expect(JSON.stringify(similar.body)).not.toMatch(WANG);

    const followed = await api.request('POST', `/api/v1/cases/${anon.id}/follow`, { token: zhao });
    expect(followed.body).toMatchObject({ following: true, placeLabel: '1号楼 居民家中（房号不公开）', photoUrls: [], visibility: null });
    for (const raw of [
      JSON.stringify(followed.body),
      JSON.stringify((await api.request('GET', `/api/v1/cases/${anon.id}`, { token: zhao })).body),
      JSON.stringify((await api.request('GET', '/api/v1/cases', { token: zhao })).body),
    ]) {
      expect(raw).toContain(anon.id);
      expect(raw).not.toMatch(WANG);
    }
    // Nor by asking for the photo directly.
    const photoId = anon.photoUrls[0]!.split('/').pop()!;
    expect((await fetchPhoto(`/api/v1/cases/${anon.id}/photos/${photoId}`, zhao)).status).toBe(404);
    expect((await fetchPhoto(`/api/v1/uploads/${photoId}`, zhao)).status).toBe(404);
  });

  it('is only its building to the property desk, which sees that the resident asked to stay anonymous but not the photos of their home', async () => {
    const queue = await api.request('GET', '/api/v1/staff/cases', { token: property });
    const item = queue.body.items.find((i: { id: string }) => i.id === anon.id);
    expect(item).toMatchObject({ reporterName: '匿名居民', reporterPhone: null, placeLabel: '1号楼 居民家中（房号不公开）', visibility: 'staff_only' });
    expect(JSON.stringify(item)).not.toMatch(WANG);
    const accepted = await act(property, anon.id, 'accept');
    expect(JSON.stringify(accepted.body)).not.toMatch(WANG);
    const detail = await api.request('GET', `/api/v1/cases/${anon.id}`, { token: property });
    expect(JSON.stringify(detail.body)).not.toMatch(WANG);
    // Photos taken inside an anonymous resident's home would tell the company whose flat it is (issue 12): none, by the view or by asking.
    expect(detail.body.photoUrls).toEqual([]);
    expect((await fetchPhoto(anon.photoUrls[0]!, property)).status).toBe(404);
    const photo = await fetchPhoto(anon.photoUrls[0]!, centre);
    expect(photo.status).toBe(200);
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('is the room and the name to the reporter and to community staff', async () => {
    const own = (await api.request('GET', `/api/v1/cases/${anon.id}`, { token: wang })).body;
    expect(own).toMatchObject({ placeLabel: wangRoom, reporterName: '王秀英', visibility: 'staff_only', buildingId: b1 });
    const forCentre = (await api.request('GET', `/api/v1/cases/${anon.id}`, { token: centre })).body;
    expect(forCentre).toMatchObject({ placeLabel: wangRoom, reporterName: '王秀英', reporterPhone: '13800000001', visibility: 'staff_only' });
  });

  it('never reaches Open311 or the public scorecard', async () => {
    const number = (await db().collection('cases').findOne({ _id: oid(anon.id) }))!.number;
    const list = await (await fetch(`${api.baseUrl}/open311/v2/requests.json`)).json();
    const [one] = await (await fetch(`${api.baseUrl}/open311/v2/requests/${number}.json`)).json();
    // Open311 names only the building and whether it is a home or a public area (open311/routes.ts).
    expect(one.address).toBe('1号楼（居民家中）');
    expect(JSON.stringify(list)).toContain(number);
    expect(JSON.stringify([list, one])).not.toMatch(WANG);
    const month = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 7);
    const card = await api.request('GET', `/api/v1/scorecards?month=${month}`);
    expect(card.body.total.cases).toBeGreaterThan(0);
    expect(JSON.stringify(card.body)).not.toMatch(WANG);
  });
});

describe('photos for followers and from the desk', () => {
  it('lets a follower see the photos of a problem in a common area, and everyone involved the photos the desk resolved it with', async () => {
    const photo = await uploadPhoto(api, wang);
    const c = (await report(wang, { category: 'cleaning', kind: 'complaint', place: { kind: 'common', buildingId: b1, spot: '1单元楼道' }, text: '楼道堆满了杂物，没人清', photoIds: [photo], visibility: 'staff_only' })).body;
    // Before following: offered without photos, and the photo cannot be fetched.
    const offered = (await api.request('GET', `/api/v1/cases/similar?buildingId=${b1}&category=cleaning`, { token: zhao })).body.items[0];
    expect(offered).toMatchObject({ id: c.id, photoUrls: [] });
    expect((await fetchPhoto(c.photoUrls[0], zhao)).status).toBe(404);

    const followed = (await api.request('POST', `/api/v1/cases/${c.id}/follow`, { token: zhao })).body;
    expect(followed.photoUrls).toEqual([`/api/v1/cases/${c.id}/photos/${photo}`]);
    expect(followed).toMatchObject({ reporterName: '匿名居民', placeLabel: '1号楼 1单元楼道（公共区域）' });
    const seen = await fetchPhoto(followed.photoUrls[0], zhao);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await seen.arrayBuffer()).equals(PNG)).toBe(true);

    // The desk resolves with its own photo: it is in the history for the reporter, the follower and the desk.
    await act(property, c.id, 'accept');
    const deskPhoto = await uploadPhoto(api, property);
    const resolved = await act(property, c.id, 'resolve', { note: '杂物已清走，楼道已打扫', photoIds: [deskPhoto] });
    expect(resolved.status).toBe(200);
    const expected = `/api/v1/cases/${c.id}/photos/${deskPhoto}`;
    for (const token of [wang, zhao, property, centre]) {
      const view = (await api.request('GET', `/api/v1/cases/${c.id}`, { token })).body;
      const step = view.history.find((h: { action: string }) => h.action === 'resolved');
      expect(step).toMatchObject({ note: '杂物已清走，楼道已打扫', photoUrls: [expected] });
      expect(view.history.find((h: { action: string }) => h.action === 'submitted').photoUrls).toEqual([]);
      const file = await fetchPhoto(expected, token);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    }
    // The resident could not read the desk's upload by itself (it is the desk's); through the case they can.
    expect((await fetchPhoto(`/api/v1/uploads/${deskPhoto}`, wang)).status).toBe(404);
    // A photo not attached to this case is not served through it, and a stranger sees nothing.
    const other = await uploadPhoto(api, wang);
    expect((await fetchPhoto(`/api/v1/cases/${c.id}/photos/${other}`, wang)).status).toBe(404);
    const li = (await api.loginWechat('demo-elder-liu')).accessToken;
    expect((await fetchPhoto(expected, li)).status).toBe(404);
    expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token: li })).status).toBe(404);
    // Nothing about who follows leaks to the desk.
    expect(JSON.stringify((await api.request('GET', `/api/v1/cases/${c.id}`, { token: property })).body)).not.toContain(zhaoId);
  });
});

describe('what the view carries', () => {
  it('the building of a room, the resident’s choice for the desks only, and the pause’s end while paused', async () => {
    const me = (await api.request('GET', '/api/v1/me', { token: wang })).body;
    expect(me.rooms[0]).toMatchObject({ roomId: wangRoomId, buildingId: b1 });
    const c = (await report(wang)).body;
    expect(c).toMatchObject({ buildingId: b1, visibility: 'everyone', pausedUntil: null, placeLabel: wangRoom });
    await api.request('POST', `/api/v1/cases/${c.id}/follow`, { token: zhao });
    // Everyone involved sees the room of a resident who chose to be named; other residents not their choice.
    expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token: zhao })).body).toMatchObject({ visibility: null, placeLabel: wangRoom });
    expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token: property })).body).toMatchObject({ visibility: 'everyone', reporterName: '王秀英', reporterPhone: '138****0001' });

    await act(property, c.id, 'accept');
    const resumeOn = new Date(Date.now() + 8 * HOUR + 3 * 24 * HOUR).toISOString().slice(0, 10);
    const paused = await act(property, c.id, 'pause', { reason: '等物业维修基金审批', resumeOn });
    expect(paused.body).toMatchObject({ status: 'paused', pausedUntil: resumeOn });
    for (const token of [wang, zhao, centre]) expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token })).body.pausedUntil).toBe(resumeOn);
    // The scheduler resumes it on the day: no pause date any more.
    await db().collection('cases').updateOne({ _id: oid(c.id) }, { $set: { pausedUntil: '2000-01-01' } });
    await api.services.cases.escalateDue(new Date());
    expect((await api.request('GET', `/api/v1/cases/${c.id}`, { token: wang })).body).toMatchObject({ status: 'accepted', pausedUntil: null });
  });
});

describe('promise rules', () => {
  it('the centre deletes one; new cases get the defaults again, cases already made keep theirs', async () => {
    const greening = { category: 'greening', kind: 'repair', place: { kind: 'common', buildingId: b1, spot: '楼前花坛' }, text: '花坛边的树枝压到电线了' };
    const added = await api.request('POST', '/api/v1/staff/promises', { token: centre, body: { category: 'greening', kind: null, urgent: null, amount: 3, unit: 'hours' } });
    expect(added.status).toBe(201);
    const before = (await report(wang, greening)).body;
    expect(new Date(before.promisedBy).getTime() - Date.now()).toBeLessThanOrEqual(3 * HOUR + 60_000);

    expect((await api.request('DELETE', `/api/v1/staff/promises/${added.body.id}`, { token: property })).status).toBe(403);
    expect((await api.request('DELETE', '/api/v1/staff/promises/not-an-id', { token: centre })).status).toBe(400);
    const rules = async () => (await api.request('GET', '/api/v1/staff/promises', { token: centre })).body.items.map((r: { id: string }) => r.id);
    expect(await rules()).toContain(added.body.id);

    // Two taps at once (or a replay): one deletes, the other is told it is gone.
    const [a, b] = await Promise.all([
      api.request('DELETE', `/api/v1/staff/promises/${added.body.id}`, { token: centre }),
      api.request('DELETE', `/api/v1/staff/promises/${added.body.id}`, { token: centre }),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 404]);
    const gone = a.status === 404 ? a : b;
    expect(gone.body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(gone.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await rules()).not.toContain(added.body.id);

    // The default for general matters: 7 working days (more than 5 calendar days away).
    const after = (await report(wang, greening)).body;
    expect(new Date(after.promisedBy).getTime() - Date.now()).toBeGreaterThan(5 * 24 * HOUR);
    expect((await api.request('GET', `/api/v1/cases/${before.id}`, { token: wang })).body.promisedBy).toBe(before.promisedBy);
  });
});
