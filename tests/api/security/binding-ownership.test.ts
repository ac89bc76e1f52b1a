import mongoose from 'mongoose';
import { importRooms } from '../../../api/src/modules/space/import';
import { startTestApi, type TestApi } from '../support/harness';

/**
 * Issue 12, finding 2: a grid worker filed "owner of a room in my grid" and
 * approved it themselves, then cast that owner's art. 278 vote. An owner
 * binding now stands only on the owner register: WeChat's phone number equal to
 * the register's, a code the community issued, or staff review in which nobody
 * decides their own request and a claim the register does not back needs two
 * different staff. Everything over HTTP, as an attacker would.
 */
let api: TestApi;
let communityA: string;
let centre: string;
let admin: string;
let grid1: string;
let grid1UserId: string;

const db = () => mongoose.connection.db!;
const oid = (id: string) => new mongoose.Types.ObjectId(id);
const post = (path: string, token: string, body?: unknown) => api.request('POST', `/api/v1${path}`, { token, body: body ?? {} });
const get = (path: string, token: string) => api.request('GET', `/api/v1${path}`, { token });
const bindingDoc = (id: string) => db().collection('bindings').findOne({ _id: oid(id) });
const snapshot = async (id: string) => JSON.stringify(await bindingDoc(id));

/** A room of A by label, with its register owner (name and phone). */
async function roomOf(label: string): Promise<{ id: string; owner: { name: string; phone: string | null } }> {
  const room = (await db().collection('rooms').findOne({ communityId: oid(communityA), label }))!;
  const link = (await db().collection('room_owners').findOne({ roomId: room._id }))!;
  const owner = (await db().collection('owners').findOne({ _id: link.ownerId }))!;
  return { id: room._id.toHexString(), owner: { name: owner.name, phone: owner.phone ?? null } };
}

async function resident(openid: string) {
  const login = await api.loginWechat(openid);
  return { token: login.accessToken, id: login.user.id };
}

const rolesOf = async (token: string) => (await get('/me', token)).body.roles as string[];

beforeAll(async () => {
  api = await startTestApi(__filename);
  communityA = (await api.seed()).communityId;
  centre = (await api.loginStaff('centre')).accessToken;
  admin = (await api.loginStaff('admin')).accessToken;
  const g = await api.loginStaff('grid1');
  grid1 = g.accessToken;
  grid1UserId = g.user.id;
}, 120_000);
afterAll(() => api.close());

describe('the self-approval attack', () => {
  it('a grid worker claiming a room of their grid as owner cannot approve or reject it, and nothing changes', async () => {
    const room = await roomOf('2号楼 1单元 101');
    // The grid worker's WeChat account is the same person as the desk account.
    const phone = await resident('demo-grid-1');
    expect(phone.id).toBe(grid1UserId);
    const claim = await post('/bindings', phone.token, { roomId: room.id, relation: 'owner', realName: room.owner.name });
    expect(claim.status).toBe(201);
    // A staff member's own owner claim never passes with one reviewer, even with the registered name.
    expect(claim.body).toMatchObject({ status: 'pending', reviewPath: 'two_staff', ownerMatch: 'name' });
    const before = await snapshot(claim.body.id);

    const approve = await post(`/staff/bindings/${claim.body.id}/approve`, grid1);
    expect(approve.status).toBe(403);
    expect(approve.body.error.message).toBe('不能审核自己的申请，请请另一位工作人员审核');
    const reject = await post(`/staff/bindings/${claim.body.id}/reject`, grid1, { reason: '我自己撤掉这条申请' });
    expect(reject.status).toBe(403);
    expect(await snapshot(claim.body.id)).toBe(before);
    expect(await rolesOf(grid1)).not.toContain('owner');

    // The desk sees it as their own, not as something to decide.
    const list = await get('/staff/bindings?status=pending', grid1);
    const item = list.body.items.find((b: { id: string }) => b.id === claim.body.id);
    expect(item).toMatchObject({ canDecide: false, applicantIsStaff: true, cannotDecideReason: '不能审核自己的申请，请请另一位工作人员审核' });

    // One colleague is not enough either: it waits for a second.
    const first = await post(`/staff/bindings/${claim.body.id}/approve`, centre);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'pending', canDecide: false });
    expect(first.body.firstApproval).toMatchObject({ byName: '孙晓燕' });
    expect(await rolesOf(grid1)).not.toContain('owner');
  });

  it('nor through a second WeChat account with the same phone number', async () => {
    const room = await roomOf('2号楼 1单元 102');
    await db().collection('users').updateOne({ _id: oid(grid1UserId) }, { $set: { phone: '13912345678' } });
    const alt = await resident('grid1-second-phone');
    const claim = await post('/bindings', alt.token, { roomId: room.id, relation: 'tenant', realName: '周海涛', phoneCode: 'phone-13912345678' });
    expect(claim.status).toBe(201);
    const before = await snapshot(claim.body.id);
    const approve = await post(`/staff/bindings/${claim.body.id}/approve`, grid1);
    expect(approve.status).toBe(403);
    expect(approve.body.error.message).toBe('不能审核自己的申请，请请另一位工作人员审核');
    expect(await snapshot(claim.body.id)).toBe(before);
    // Someone else may.
    expect((await post(`/staff/bindings/${claim.body.id}/approve`, centre)).body.status).toBe('approved');
    await db().collection('users').updateOne({ _id: oid(grid1UserId) }, { $set: { phone: null } });
  });

  it('a centre worker cannot redeem an invitation code they issued themselves; the code stays unspent', async () => {
    const room = await roomOf('2号楼 1单元 103');
    const issued = await post('/staff/invitations', centre, { roomId: room.id, relation: 'owner', realName: room.owner.name, validDays: 3 });
    expect(issued.status).toBe(201);
    const self = await post('/bindings/redeem', centre, { code: issued.body.code });
    expect(self.status).toBe(403);
    expect(await db().collection('bindings').countDocuments({ roomId: oid(room.id), relation: 'owner', status: 'approved', via: 'invitation' })).toBe(0);
    const owner = await resident('invited-owner-103');
    const redeemed = await post('/bindings/redeem', owner.token, { code: issued.body.code });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({ status: 'approved', ownerMatch: 'invitation', reviewPath: 'auto' });
  });

  it('an owner invitation goes only to an owner the register names', async () => {
    const room = await roomOf('2号楼 1单元 104');
    const before = await db().collection('invitations').countDocuments({});
    const res = await post('/staff/invitations', centre, { roomId: room.id, relation: 'owner', realName: '冒名顶替', validDays: 3 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.realName).toBeDefined();
    expect(await db().collection('invitations').countDocuments({})).toBe(before);
  });
});

describe('matching the owner register', () => {
  it('When WeChat vouches for the register’s phone of that room’s owner, then the owner binding passes at once, recorded as matched by phone', async () => {
    const room = await roomOf('3号楼 1单元 201');
    expect(room.owner.phone).toMatch(/^1\d{10}$/);
    const owner = await resident('phone-owner-3-201');
    const res = await post('/bindings', owner.token, { roomId: room.id, relation: 'owner', realName: room.owner.name, phoneCode: `phone-${room.owner.phone}` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'approved', ownerMatch: 'phone', reviewPath: 'auto', expectedBy: null });
    const stored = (await bindingDoc(res.body.id))!;
    expect(stored.applicantPhone).toBe(room.owner.phone);
    expect(stored.decidedAt).toBeInstanceOf(Date);
    expect(await rolesOf(owner.token)).toContain('owner');
  });

  it('When the phone differs from the register’s, then nothing passes by itself: an unmatched claim waits for two staff', async () => {
    const room = await roomOf('3号楼 1单元 202');
    const claimant = await resident('phone-mismatch-3-202');
    const res = await post('/bindings', claimant.token, { roomId: room.id, relation: 'owner', realName: '钱多多', phoneCode: 'phone-13600000000' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', ownerMatch: 'none', reviewPath: 'two_staff', firstApprovedAt: null });
    expect(Date.parse(res.body.expectedBy)).toBeGreaterThan(Date.now());
    expect(await rolesOf(claimant.token)).not.toContain('owner');

    // The reviewer sees the register beside the claim.
    const list = await get('/staff/bindings?status=pending&limit=100', centre);
    const item = list.body.items.find((b: { id: string }) => b.id === res.body.id);
    expect(item.register).toEqual({
      owners: [{ name: room.owner.name, phoneMasked: `${room.owner.phone!.slice(0, 3)}****${room.owner.phone!.slice(7)}`, developer: false }],
      nameMatches: false,
      phoneMatches: false,
    });
    expect(item.applicantPhoneMasked).toBe('136****0000');
    expect(item.canDecide).toBe(true);

    // First approval: 待复核, no owner role, not on any owner roll (status stays pending).
    const first = await post(`/staff/bindings/${res.body.id}/approve`, centre);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending');
    expect(first.body.firstApprovedAt).not.toBeNull();
    expect(await rolesOf(claimant.token)).not.toContain('owner');
    // The same reviewer again is refused and changes nothing.
    const before = await snapshot(res.body.id);
    const again = await post(`/staff/bindings/${res.body.id}/approve`, centre);
    expect(again.status).toBe(403);
    expect(again.body.error.message).toBe('您已经做过初审，需要另一位工作人员复核');
    expect(await snapshot(res.body.id)).toBe(before);
    // The resident sees it is waiting for the second check.
    const mine = await get('/bindings/mine', claimant.token);
    expect(mine.body.items.find((b: { id: string }) => b.id === res.body.id)).toMatchObject({ status: 'pending', reviewPath: 'two_staff' });

    // A second, different person completes it; both are recorded with who and when.
    const second = await post(`/staff/bindings/${res.body.id}/approve`, admin);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'approved', decidedByName: '马主任', firstApproval: { byName: '孙晓燕' } });
    const stored = (await bindingDoc(res.body.id))!;
    expect(stored.firstApprovedBy).not.toBeNull();
    expect(stored.decidedBy).not.toBeNull();
    expect(stored.firstApprovedBy.toHexString()).not.toBe(stored.decidedBy.toHexString());
    expect(stored.firstApprovedAt).toBeInstanceOf(Date);
    expect(await rolesOf(claimant.token)).toContain('owner');
  });

  it('When two second reviewers press at once, one completes it and the other hears it was decided', async () => {
    const room = await roomOf('3号楼 1单元 203');
    const claimant = await resident('race-3-203');
    const res = await post('/bindings', claimant.token, { roomId: room.id, relation: 'owner', realName: '孙悟空' });
    expect((await post(`/staff/bindings/${res.body.id}/approve`, grid1)).status).toBe(200);
    const [a, b] = await Promise.all([post(`/staff/bindings/${res.body.id}/approve`, centre), post(`/staff/bindings/${res.body.id}/approve`, admin)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await bindingDoc(res.body.id))!.status).toBe('approved');
  });

  it('A claim with the registered name and no phone is one staff member’s check', async () => {
    const room = await roomOf('3号楼 1单元 204');
    const claimant = await resident('name-3-204');
    const res = await post('/bindings', claimant.token, { roomId: room.id, relation: 'owner', realName: room.owner.name });
    expect(res.body).toMatchObject({ status: 'pending', ownerMatch: 'name', reviewPath: 'staff' });
    const ok = await post(`/staff/bindings/${res.body.id}/approve`, grid1);
    expect(ok.body).toMatchObject({ status: 'approved', ownerMatch: 'name' });
  });

  it('Tenants and family are one staff member’s check, as before, and never their own', async () => {
    const room = await roomOf('3号楼 1单元 205');
    const tenant = await resident('tenant-3-205');
    const res = await post('/bindings', tenant.token, { roomId: room.id, relation: 'tenant', realName: '租房人' });
    expect(res.body).toMatchObject({ status: 'pending', ownerMatch: null, reviewPath: 'staff' });
    const ok = await post(`/staff/bindings/${res.body.id}/approve`, grid1);
    expect(ok.body.status).toBe('approved');
    expect(await rolesOf(tenant.token)).toEqual(['resident']);

    const own = await post('/bindings', grid1, { roomId: room.id, relation: 'family', realName: '周海涛' });
    expect(own.status).toBe(201);
    expect((await post(`/staff/bindings/${own.body.id}/approve`, grid1)).status).toBe(403);
  });

  it('When the phone code is not a real one, then 400 and nothing is written', async () => {
    const room = await roomOf('3号楼 2单元 101');
    const claimant = await resident('bad-phone-code');
    const before = await db().collection('bindings').countDocuments({});
    const res = await post('/bindings', claimant.token, { roomId: room.id, relation: 'owner', realName: '王五', phoneCode: 'made-up' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
    expect(await db().collection('bindings').countDocuments({})).toBe(before);
  });
});

describe('withdrawing', () => {
  it('a resident withdraws their own pending request (a 待复核 one too), not one decided, not someone else’s', async () => {
    const room = await roomOf('4号楼 1单元 101');
    const me = await resident('withdraw-me');
    const other = await resident('withdraw-other');
    const res = await post('/bindings', me.token, { roomId: room.id, relation: 'owner', realName: '撤回人' });
    expect((await post(`/staff/bindings/${res.body.id}/approve`, centre)).body.status).toBe('pending');

    const before = await snapshot(res.body.id);
    const theirs = await post(`/bindings/${res.body.id}/withdraw`, other.token);
    expect(theirs.status).toBe(404);
    expect(await snapshot(res.body.id)).toBe(before);

    const mine = await post(`/bindings/${res.body.id}/withdraw`, me.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ status: 'withdrawn', expectedBy: null });
    expect((await post(`/bindings/${res.body.id}/withdraw`, me.token)).status).toBe(409);
    // Staff can no longer complete it.
    expect((await post(`/staff/bindings/${res.body.id}/approve`, admin)).status).toBe(409);
    expect(await rolesOf(me.token)).not.toContain('owner');
    // /me no longer lists it, and the person may ask again.
    expect((await get('/me', me.token)).body.rooms).toEqual([]);
    expect((await post('/bindings', me.token, { roomId: room.id, relation: 'tenant', realName: '撤回人' })).status).toBe(201);
  });

  it('an approved binding cannot be withdrawn this way', async () => {
    const wang = await resident('demo-owner-wang');
    const approved = (await get('/bindings/mine', wang.token)).body.items[0];
    expect(approved.status).toBe('approved');
    const res = await post(`/bindings/${approved.id}/withdraw`, wang.token);
    expect(res.status).toBe(409);
    expect((await bindingDoc(approved.id))!.status).toBe('approved');
  });
});

describe('another community’s ids', () => {
  let bBinding: string;
  let bRoom: string;
  let bCentre: string;

  beforeAll(async () => {
    const { insertedId } = await db().collection('communities').insertOne({ code: 'hexi-b', name: '河西社区', district: '', createdAt: new Date(), updatedAt: new Date() });
    const communityB = insertedId.toHexString();
    const csv = ['网格,楼栋,单元,房号,楼层,专有面积,业主姓名,业主手机号,业主类型', '河西网格,河西1号楼,1单元,101,1,88.50,何西东,13700000101,个人'].join('\n');
    const report = await importRooms(communityB, Buffer.from(csv, 'utf8'), 'text/csv', false);
    expect(report.rejected).toEqual([]);
    await api.services.accounts.findOrCreateStaffUser({
      username: 'hexi-b-centre',
      password: 'community2026',
      displayName: '河西中心',
      roles: ['community_staff'],
      communityId: communityB,
      gridIds: [],
      propertyCompanyId: null,
    });
    bCentre = (await api.loginStaff('hexi-b-centre')).accessToken;
    bRoom = (await db().collection('rooms').findOne({ communityId: oid(communityB) }))!._id.toHexString();
    const bResident = await resident('hexi-b-resident');
    await db().collection('users').updateOne({ _id: oid(bResident.id) }, { $set: { communityId: oid(communityB) } });
    const claim = await post('/bindings', bResident.token, { roomId: bRoom, relation: 'owner', realName: '某某人' });
    expect(claim.status).toBe(201);
    bBinding = claim.body.id;
  });

  it('A’s staff get 404 on B’s binding for approve and reject, and nothing changes', async () => {
    const before = await snapshot(bBinding);
    for (const token of [centre, admin, grid1]) {
      expect((await post(`/staff/bindings/${bBinding}/approve`, token)).status).toBe(404);
      expect((await post(`/staff/bindings/${bBinding}/reject`, token, { reason: '不是本社区的房屋' })).status).toBe(404);
      const list = await get('/staff/bindings?status=pending&limit=100', token);
      expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(bBinding);
    }
    expect(await snapshot(bBinding)).toBe(before);
    // B's own desk reaches it.
    expect((await post(`/staff/bindings/${bBinding}/approve`, bCentre)).status).toBe(200);
  });

  it('A’s resident gets 404 withdrawing B’s binding and asking for B’s room', async () => {
    const wang = await resident('demo-owner-wang');
    const before = await snapshot(bBinding);
    expect((await post(`/bindings/${bBinding}/withdraw`, wang.token)).status).toBe(404);
    expect(await snapshot(bBinding)).toBe(before);
    const count = await db().collection('bindings').countDocuments({});
    const ask = await post('/bindings', wang.token, { roomId: bRoom, relation: 'tenant', realName: '王秀英' });
    expect(ask.status).toBe(404);
    expect(await db().collection('bindings').countDocuments({})).toBe(count);
  });

  it('B’s desk cannot issue a code for A’s room', async () => {
    const room = await roomOf('4号楼 1单元 102');
    const res = await post('/staff/invitations', bCentre, { roomId: room.id, relation: 'family', realName: '外人', validDays: 3 });
    expect(res.status).toBe(404);
  });
});
