import mongoose from 'mongoose';
import { shanghaiDate } from '@community/shared';
import { importRooms } from '../../../../api/src/modules/space/import';
import { demoCatalogue } from '../../../../api/src/seed/catalogue';
import type { TestApi } from '../../support/harness';
import { activityBody } from '../../support/activities';
import { PNG, oid, pollBody } from '../../support/polls';

/**
 * Two communities for the object matrix. A is the demo seed (滨河社区); B (河西社区)
 * is a small one of its own, seeded through the same services and then filled
 * over HTTP by its own desks and residents, so every object B holds is one a
 * real client could have made. A's second resident (刘桂兰) owns a set of
 * objects too, for the "another user's object" pass.
 */
const db = () => mongoose.connection.db!;
const HOUR = 3_600_000;

export interface Caller {
  name: string;
  token: string;
  userId: string;
  roles: string[];
}

export interface World {
  communityA: string;
  communityB: string;
  /** Every caller of A: one resident and the staff of every desk. */
  callersA: Caller[];
  /** Objects of community B, by kind. */
  b: Record<string, string>;
  /** Objects in A owned by 刘桂兰 (not the calling resident). */
  other: Record<string, string>;
}

function ok<T = any>(res: { status: number; body: T }, what: string): T {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

function registerB(): string {
  const lines = ['网格,楼栋,单元,房号,楼层,专有面积,业主姓名,业主手机号,业主类型,物业公司'];
  const owners: Record<string, string> = { '101': '何西东', '102': '何西南', '201': '何西北', '202': '何西中' };
  for (const room of ['101', '102', '201', '202']) lines.push(['河西网格', '河西1号楼', '1单元', room, room[0], '88.50', owners[room], `1370000${room.padStart(4, '0')}`, '个人', '河西物业服务有限公司'].join(','));
  return lines.join('\n');
}

export async function buildWorld(api: TestApi): Promise<World> {
  const { communityId: communityA } = await api.seed();
  const post = (path: string, token: string, body?: unknown) => api.request('POST', `/api/v1${path}`, { token, body: body ?? {} });
  const get = (path: string, token: string) => api.request('GET', `/api/v1${path}`, { token });

  // ---- Community B: register, desks, residents.
  const { insertedId } = await db().collection('communities').insertOne({ code: 'hexi', name: '河西社区', district: '甘肃省张掖市甘州区', createdAt: new Date(), updatedAt: new Date() });
  const communityB = insertedId.toHexString();
  const report = await importRooms(communityB, Buffer.from(registerB(), 'utf8'), 'text/csv', false);
  if (report.rejected.length) throw new Error(`B register rejected: ${JSON.stringify(report.rejected)}`);
  const gridB = (await db().collection('grids').findOne({ communityId: oid(communityB) }))!._id.toHexString();
  const companyB = (await db().collection('property_companies').findOne({ communityId: oid(communityB) }))!._id.toHexString();
  const desks = [
    { username: 'hexi-admin', roles: ['admin', 'community_staff'] as const },
    { username: 'hexi-centre', roles: ['community_staff'] as const },
    { username: 'hexi-grid', roles: ['grid_worker'] as const },
    { username: 'hexi-property', roles: ['property_staff'] as const },
  ];
  for (const d of desks) {
    await api.services.accounts.findOrCreateStaffUser({
      username: d.username,
      password: 'community2026',
      displayName: `河西${d.username.slice(5)}`,
      roles: [...d.roles],
      communityId: communityB,
      gridIds: d.roles.includes('grid_worker' as never) ? [gridB] : [],
      propertyCompanyId: d.roles.includes('property_staff' as never) ? companyB : null,
    });
  }
  const bAdmin = (await api.loginStaff('hexi-admin')).accessToken;
  const bCentre = (await api.loginStaff('hexi-centre')).accessToken;
  const roomsB = await db().collection('rooms').find({ communityId: oid(communityB) }).sort({ label: 1 }).toArray();
  const buildingB = roomsB[0]!.buildingId.toHexString();
  const unitB = roomsB[0]!.unitId.toHexString();

  const bind = async (openid: string, roomId: string, relation: string, realName: string, approve: boolean) => {
    const login = await api.loginWechat(openid);
    // A newcomer chooses in the deployment's first community (A); these people live in B.
    await db().collection('users').updateOne({ _id: oid(login.user.id) }, { $set: { communityId: oid(communityB) } });
    const binding = ok(await post('/bindings', login.accessToken, { roomId, relation, realName }), `binding ${openid}`);
    if (approve) {
      ok(await post(`/staff/bindings/${binding.id}/approve`, bCentre), `approve ${openid}`);
      // Some paths need a second desk to confirm.
      const status = (await db().collection('bindings').findOne({ _id: oid(binding.id) }))!.status;
      if (status === 'pending') ok(await post(`/staff/bindings/${binding.id}/approve`, bAdmin), `second approval ${openid}`);
    }
    // A fresh token carries the roles the approval gave.
    const fresh = await api.loginWechat(openid);
    await db().collection('users').updateOne({ _id: oid(fresh.user.id) }, { $set: { phone: '13700000101' } });
    return { token: fresh.accessToken, userId: fresh.user.id, bindingId: binding.id as string };
  };
  const bOwner = await bind('hexi-owner', roomsB[0]!._id.toHexString(), 'owner', '何西东', true);
  const bFamily = await bind('hexi-family', roomsB[0]!._id.toHexString(), 'family', '河西家人', true);
  const bPending = await bind('hexi-pending', roomsB[1]!._id.toHexString(), 'tenant', '河西租户', false);

  // ---- Community A's callers.
  const staffA = ['admin', 'centre', 'grid1', 'grid2', 'grid3', 'property'];
  const callersA: Caller[] = [];
  const wang = await api.loginWechat('demo-owner-wang');
  callersA.push({ name: 'resident 王秀英', token: wang.accessToken, userId: wang.user.id, roles: wang.user.roles as string[] });
  for (const username of staffA) {
    const login = await api.loginStaff(username);
    callersA.push({ name: `staff ${username}`, token: login.accessToken, userId: login.user.id, roles: login.user.roles as string[] });
  }
  const liu = await api.loginWechat('demo-elder-liu');
  const aCentre = callersA.find((c) => c.name === 'staff centre')!.token;
  // A's council has a member, so a meeting of A can be called (and refused only for what it names).
  ok(await post('/staff/council-members', aCentre, { userId: liu.user.id, title: 'resident_rep' }), 'A council member');

  const b: Record<string, string> = { community: communityB, grid: gridB, company: companyB, building: buildingB, unit: unitB, room: roomsB[0]!._id.toHexString() };
  const other: Record<string, string> = {};
  b.user = bOwner.userId;
  b.family = bFamily.userId;
  b.bindingApproved = bOwner.bindingId;
  b.bindingPending = bPending.bindingId;

  // ---- Bookings: a service of B, a slot with seats, a booking checked in (a matter), a low rating (a follow-up).
  const serviceBody = { ...demoCatalogue.find((s) => s.fullAgency)!, name: '河西高龄津贴申请' };
  const service = ok(await post('/staff/services', bCentre, serviceBody), 'B service');
  b.service = service.id;
  const slotFor = async (serviceId: string, communityId: string, minutesAhead: number) => {
    const startAt = new Date(Date.now() + minutesAhead * 60_000);
    const slot = await db().collection('slots').insertOne({
      communityId: oid(communityId),
      serviceId: oid(serviceId),
      date: shanghaiDate(startAt),
      startAt,
      endAt: new Date(startAt.getTime() + 30 * 60_000),
      capacity: 3,
      seatsLeft: 3,
      waiting: 0,
      waitSeq: 0,
    });
    return slot.insertedId.toHexString();
  };
  b.slot = await slotFor(b.service, communityB, 5);
  b.slotLater = await slotFor(b.service, communityB, 3 * 24 * 60);
  const bBooking = ok(await post('/bookings', bOwner.token, { slotId: b.slot }), 'B booking');
  b.booking = bBooking.id;
  ok(await post('/staff/bookings/check-in', bCentre, { code: bBooking.code }), 'B check-in');
  ok(await post(`/bookings/${b.booking}/rating`, bOwner.token, { level: 1, comment: '等了很久' }), 'B rating');
  b.bookingCode = bBooking.code;
  b.matter = (await db().collection('matters').findOne({ communityId: oid(communityB) }))!._id.toHexString();
  b.followUp = (await db().collection('booking_follow_ups').findOne({ communityId: oid(communityB) }))!._id.toHexString();
  const bBooking2 = ok(await post('/bookings', bFamily.token, { slotId: b.slotLater }), 'B second booking');
  b.bookingOpen = bBooking2.id;
  b.bookingOpenCode = bBooking2.code;

  // ---- Polls: an open poll of B, an objection on it (straight in: objections need a published result).
  const poll = ok(await post('/staff/polls', bCentre, pollBody({ title: '河西是否同意更换门禁' })), 'B poll');
  ok(await post(`/staff/polls/${poll.id}/open`, bCentre), 'B poll open');
  b.poll = poll.id;
  b.pollObjection = (
    await db().collection('poll_objections').insertOne({ pollId: oid(poll.id), communityId: oid(communityB), userId: oid(bOwner.userId), text: '计票有误，请核实', answer: null, createdAt: new Date(), updatedAt: new Date() })
  ).insertedId.toHexString();

  // ---- Topics: a topic and a comment.
  const topic = ok(await post('/staff/topics', bCentre, { title: '河西小区增设快递柜', body: '快递总是堆在门口，建议在小区里增设快递柜。', photoIds: [] }), 'B topic');
  b.topic = topic.id;
  b.comment = ok(await post(`/topics/${topic.id}/comments`, bOwner.token, { text: '赞成' }), 'B comment').id;

  // ---- Meetings: a council member, a meeting, a resolution (straight in: it needs a quorum that met).
  ok(await post('/staff/council-members', bCentre, { userId: bOwner.userId, title: 'resident_rep' }), 'B council member');
  const startsAt = new Date(Date.now() + 24 * HOUR);
  const meeting = ok(
    await post('/staff/meetings', bCentre, { title: '河西议事会', place: '河西活动室', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(), agenda: [{ title: '快递柜选址' }] }),
    'B meeting',
  );
  b.meeting = meeting.id;
  b.resolution = (
    await db().collection('resolutions').insertOne({
      meetingId: oid(meeting.id),
      communityId: oid(communityB),
      agendaIndex: 0,
      agendaTitle: '快递柜选址',
      topicId: null,
      text: '快递柜放在北门',
      yes: 1,
      no: 0,
      abstain: 0,
      passed: true,
      owner: '河西物业',
      dueDate: '2026-12-31',
      status: 'open',
      followUps: [],
      createdAt: new Date(),
      updatedAt: new Date(),
    })
  ).insertedId.toHexString();

  // ---- Activities: an activity with a signup; a served one with confirmed hours and a certificate.
  const serve = async (centre: string, resident: { token: string }, title: string) => {
    const activity = ok(await post('/staff/activities', centre, activityBody({ title })), `activity ${title}`);
    const signup = ok(await post(`/activities/${activity.id}/signups`, resident.token, {}), `signup ${title}`);
    const poster = ok(await post(`/staff/activities/${activity.id}/poster`, centre), 'poster').posterId;
    const moveTo = async (startedMinutesAgo: number) => {
      const startAt = new Date(Date.now() - startedMinutesAgo * 60_000);
      await db().collection('activities').updateOne({ _id: oid(activity.id) }, { $set: { startAt, endAt: new Date(startAt.getTime() + 60 * 60_000), signupClosesAt: new Date(startAt.getTime() - 60_000) } });
    };
    await moveTo(10);
    ok(await post('/activities/scan', resident.token, { poster }), 'scan in');
    await db().collection('activity_signups').updateOne({ _id: oid(signup.id) }, { $set: { checkInAt: new Date(Date.now() - 120 * 60_000) } });
    await moveTo(70);
    ok(await post('/activities/scan', resident.token, { poster }), 'scan out');
    ok(await post(`/staff/activities/${activity.id}/hours`, centre, { items: [{ signupId: signup.id }] }), 'hours');
    const certificate = ok(await post('/certificates', resident.token, { idNumber: '11010519491231002X' }), 'certificate');
    return { activityId: activity.id as string, signupId: signup.id as string, poster: poster as string, serial: certificate.serial as string };
  };
  const bActivity = ok(await post('/staff/activities', bCentre, activityBody({ title: '河西河道清洁' })), 'B activity');
  b.activity = bActivity.id;
  b.signup = ok(await post(`/activities/${bActivity.id}/signups`, bOwner.token, {}), 'B signup').id;
  b.activityPoster = ok(await post(`/staff/activities/${bActivity.id}/poster`, bCentre), 'B poster').posterId;
  const bServed = await serve(bCentre, bOwner, '河西敬老院探访');
  b.servedActivity = bServed.activityId;
  b.servedSignup = bServed.signupId;
  b.certificate = bServed.serial;

  // ---- Rewards and campaigns.
  b.reward = ok(await post('/staff/rewards', bCentre, { title: '河西环保袋', pointsPrice: 1, stock: 5 }), 'B reward').id;
  const campaign = ok(
    await post('/staff/campaigns', bCentre, { title: '河西道德模范评选', categories: ['道德模范'], nominateUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), decision: 'panel', winnersPerCategory: 1 }),
    'B campaign',
  );
  b.campaign = campaign.id;
  ok(
    await post(`/campaigns/${campaign.id}/nominations`, bOwner.token, { category: '道德模范', kind: 'neighbour', nomineeName: '河西家人', reason: '多年来坚持照顾楼里的独居老人，风雨无阻，邻里都很敬佩。' }),
    'B nomination',
  );
  b.nomination = (await db().collection('campaign_nominations').findOne({ campaignId: oid(campaign.id) }))!._id.toHexString();
  ok(await post(`/staff/campaign-nominations/${b.nomination}/review`, bCentre, { accept: true }), 'B review');
  ok(await post(`/staff/campaigns/${campaign.id}/notice`, bCentre), 'B notice');
  ok(await post(`/campaigns/${campaign.id}/objections`, bFamily.token, { nominationId: b.nomination, text: '事迹需要核实一下' }), 'B campaign objection');
  b.campaignObjection = (await db().collection('campaign_objections').findOne({ campaignId: oid(campaign.id) }))!._id.toHexString();
  // A second nomination still waiting for review, so review has something to refuse on.
  const campaign2 = ok(
    await post('/staff/campaigns', bCentre, { title: '河西最美家庭评选', categories: ['文明家庭'], nominateUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), decision: 'vote', winnersPerCategory: 1 }),
    'B campaign 2',
  );
  b.campaignNominating = campaign2.id;
  ok(
    await post(`/campaigns/${campaign2.id}/nominations`, bOwner.token, { category: '文明家庭', kind: 'family', nomineeName: '河西业主家庭', reason: '一家人热心公益，常年组织邻里互助活动，口碑很好。' }),
    'B nomination 2',
  );
  b.nominationPending = (await db().collection('campaign_nominations').findOne({ campaignId: oid(campaign2.id) }))!._id.toHexString();

  // ---- Cases, rules, uploads, authorities, inbox.
  b.routingRule = ok(await post('/staff/routing-rules', bCentre, { category: 'greening', buildingId: buildingB, level: 'grid' }), 'B routing rule').id;
  b.promiseRule = ok(await post('/staff/promises', bCentre, { category: 'greening', kind: 'repair', urgent: false, amount: 48, unit: 'hours' }), 'B promise').id;
  const upload = await api.request('POST', '/api/v1/uploads', { token: bOwner.token, rawBody: PNG, headers: { 'Content-Type': 'image/png' } });
  b.upload = ok(upload, 'B upload').id;
  b.case = ok(await post('/cases', bOwner.token, { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId: b.room }, text: '卫生间水管漏水，楼下也渗水了', photoIds: [b.upload] }), 'B case').id;
  b.authority = ok(await post('/authorities', bOwner.token, { granteeId: bFamily.userId, scopes: ['bookings'], days: 30 }), 'B authority').id;
  b.inbox = (await db().collection('inbox_messages').findOne({ userId: oid(bOwner.userId) }))!._id.toHexString();

  // ---- 刘桂兰's objects in A (the calling resident is 王秀英).
  other.user = liu.user.id;
  const liuMe = ok(await get('/me', liu.accessToken), 'liu me');
  other.room = liuMe.rooms[0].roomId;
  other.binding = (await db().collection('bindings').findOne({ userId: oid(liu.user.id) }))!._id.toHexString();
  const aService = (await db().collection('services').findOne({ communityId: oid(communityA), fullAgency: true }))!;
  other.service = aService._id.toHexString();
  other.slot = await slotFor(other.service, communityA, 5);
  other.slotLater = await slotFor(other.service, communityA, 3 * 24 * 60);
  const liuBooking = ok(await post('/bookings', liu.accessToken, { slotId: other.slot }), 'liu booking');
  other.bookingCheckedIn = liuBooking.id;
  ok(await post('/staff/bookings/check-in', aCentre, { code: liuBooking.code }), 'liu check-in');
  other.booking = ok(await post('/bookings', liu.accessToken, { slotId: other.slotLater }), 'liu second booking').id;
  await db().collection('users').updateOne({ _id: oid(liu.user.id) }, { $set: { phone: '13800000002' } });
  other.case = ok(await post('/cases', liu.accessToken, { kind: 'repair', category: 'utilities', place: { kind: 'room', roomId: other.room }, text: '厨房水管漏水，地上都是水' }), 'liu case').id;
  const aActivity = ok(await post('/staff/activities', aCentre, activityBody({ title: '滨河河道清洁' })), 'A activity');
  other.activity = aActivity.id;
  other.signup = ok(await post(`/activities/${aActivity.id}/signups`, liu.accessToken, {}), 'liu signup').id;
  const liuServed = await serve(aCentre, { token: liu.accessToken }, '滨河敬老院探访');
  other.certificate = liuServed.serial;
  other.authority = ok(await post('/authorities', liu.accessToken, { granteeId: callersA.find((c) => c.name === 'staff grid2')!.userId, scopes: ['bookings'], days: 30 }), 'liu authority').id;
  other.inbox = (await db().collection('inbox_messages').findOne({ userId: oid(liu.user.id) }))!._id.toHexString();
  const liuUpload = await api.request('POST', '/api/v1/uploads', { token: liu.accessToken, rawBody: PNG, headers: { 'Content-Type': 'image/png' } });
  other.upload = ok(liuUpload, 'liu upload').id;

  return { communityA, communityB, callersA, b, other };
}
