import mongoose from 'mongoose';
import { shanghaiDate } from '@community/shared';
import { startTestApi, type TestApi } from '../support/harness';
import { activityBody } from '../support/activities';
import { oid } from '../support/polls';

/**
 * Your own request approved by yourself: a desk who is also a resident of the
 * community (孙晓燕 of the service centre, living in 2号楼) may not confirm
 * their own volunteer hours, review their own nomination, answer their own
 * objection, take on their own full-agency matter or close the follow-up of
 * their own poor rating. Another desk (马主任) may, and does.
 */
let api: TestApi;
let centre: string;
let centreId: string;
let admin: string;
const db = () => mongoose.connection.db!;
const post = (path: string, token: string, body: unknown = {}) => api.request('POST', `/api/v1${path}`, { token, body });

beforeAll(async () => {
  api = await startTestApi(__filename, { POLL_PUBLISH_GRACE_SECONDS: '0' });
  await api.seed();
  const login = await api.loginStaff('centre');
  centreId = login.user.id;
  const room = (await db().collection('rooms').findOne({ label: '2号楼 1单元 101' }))!;
  await db().collection('bindings').insertOne({
    communityId: room.communityId,
    gridId: room.gridId,
    buildingId: room.buildingId,
    roomId: room._id,
    roomLabel: room.label,
    userId: oid(centreId),
    relation: 'owner',
    status: 'approved',
    realName: '孙晓燕',
    via: 'import',
    activeKey: `${centreId}:${room._id.toHexString()}`,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  await db().collection('users').updateOne({ _id: oid(centreId) }, { $addToSet: { roles: { $each: ['resident', 'owner'] } } });
  centre = (await api.loginStaff('centre')).accessToken;
  admin = (await api.loginStaff('admin')).accessToken;
}, 120_000);
afterAll(() => api.close());

it('an organiser does not confirm their own volunteer hours, and one bad line writes none', async () => {
  const activity = (await post('/staff/activities', centre, activityBody())).body;
  const wang = (await api.loginWechat('demo-owner-wang')).accessToken;
  const mine = (await post(`/activities/${activity.id}/signups`, centre)).body;
  const theirs = (await post(`/activities/${activity.id}/signups`, wang)).body;
  expect(mine.id && theirs.id).toBeTruthy();
  // Both checked in long enough ago (the scans have their own tests).
  await db().collection('activity_signups').updateMany({ _id: { $in: [oid(mine.id), oid(theirs.id)] } }, { $set: { status: 'checked_out', checkInAt: new Date(Date.now() - 3_600_000), checkOutAt: new Date(), scannedMinutes: 60 } });

  const own = await post(`/staff/activities/${activity.id}/hours`, centre, { items: [{ signupId: theirs.id }, { signupId: mine.id }] });
  expect(own.status).toBe(403);
  expect(own.body.error.message).toContain('自己');
  // Wang's line came first and was fine, but nothing is written when one line is refused.
  expect(await db().collection('volunteer_hours').countDocuments()).toBe(0);
  expect((await db().collection('activity_signups').findOne({ _id: oid(theirs.id) }))!.confirmedMinutes ?? null).toBeNull();

  expect((await post(`/staff/activities/${activity.id}/hours`, centre, { items: [{ signupId: theirs.id }] })).status).toBe(200);
  expect((await post(`/staff/activities/${activity.id}/hours`, admin, { items: [{ signupId: mine.id }] })).status).toBe(200);
  expect(await db().collection('volunteer_hours').countDocuments()).toBe(2);
});

it('a desk does not review its own nomination nor answer its own objection', async () => {
  const campaign = (await post('/staff/campaigns', centre, { title: '道德模范评选', categories: ['道德模范'], nominateUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), decision: 'panel', winnersPerCategory: 1 })).body;
  const reason = '多年来坚持照顾楼里的独居老人，风雨无阻，邻里都很敬佩。';
  expect((await post(`/campaigns/${campaign.id}/nominations`, centre, { category: '道德模范', kind: 'neighbour', nomineeName: '刘桂兰', reason })).status).toBe(201);
  const nomination = (await db().collection('campaign_nominations').findOne({ campaignId: oid(campaign.id) }))!._id.toHexString();

  const ownReview = await post(`/staff/campaign-nominations/${nomination}/review`, centre, { accept: true });
  expect(ownReview.status).toBe(403);
  expect((await db().collection('campaign_nominations').findOne({ _id: oid(nomination) }))!.status).toBe('submitted');
  expect((await post(`/staff/campaign-nominations/${nomination}/review`, admin, { accept: true })).status).toBe(200);

  expect((await post(`/staff/campaigns/${campaign.id}/notice`, centre)).status).toBe(200);
  expect((await post(`/campaigns/${campaign.id}/objections`, centre, { nominationId: nomination, text: '事迹需要再核实一下' })).status).toBe(201);
  const objection = (await db().collection('campaign_objections').findOne({ campaignId: oid(campaign.id) }))!._id.toHexString();
  const ownAnswer = await post(`/staff/campaign-objections/${objection}/answer`, centre, { answer: '已核实' });
  expect(ownAnswer.status).toBe(403);
  expect((await db().collection('campaign_objections').findOne({ _id: oid(objection) }))!.answer).toBeNull();
  expect((await post(`/staff/campaign-objections/${objection}/answer`, admin, { answer: '已走访核实，事迹属实' })).status).toBe(200);
  // Answered once: a second answer is a conflict, and the first stands.
  expect((await post(`/staff/campaign-objections/${objection}/answer`, admin, { answer: '再答一次' })).status).toBe(409);
  expect((await db().collection('campaign_objections').findOne({ _id: oid(objection) }))!.answer).toBe('已走访核实，事迹属实');
});

it('a desk does not take on its own full-agency matter nor close the follow-up of its own poor rating', async () => {
  const service = (await db().collection('services').findOne({ name: '高龄津贴申请' }))!;
  const startAt = new Date(Date.now() + 5 * 60_000);
  const { insertedId } = await db().collection('slots').insertOne({
    communityId: service.communityId,
    serviceId: service._id,
    date: shanghaiDate(startAt),
    startAt,
    endAt: new Date(startAt.getTime() + 30 * 60_000),
    capacity: 2,
    seatsLeft: 2,
    waiting: 0,
    waitSeq: 0,
  });
  const booking = (await post('/bookings', centre, { slotId: insertedId.toHexString() })).body;
  expect((await post('/staff/bookings/check-in', admin, { code: booking.code })).status).toBe(200);
  const matter = (await db().collection('matters').findOne({ bookingId: oid(booking.id) }))!._id.toHexString();
  const promisedBy = shanghaiDate(new Date(Date.now() + 7 * 86_400_000));
  const ownMatter = await post(`/staff/matters/${matter}/accept`, centre, { promisedBy });
  expect(ownMatter.status).toBe(403);
  expect((await db().collection('matters').findOne({ _id: oid(matter) }))!.status).toBe('open');
  expect((await post(`/staff/matters/${matter}/accept`, admin, { promisedBy })).status).toBe(200);

  expect((await post(`/bookings/${booking.id}/rating`, centre, { level: 1, comment: '等了很久' })).status).toBe(200);
  const followUp = (await db().collection('booking_follow_ups').findOne({ bookingId: oid(booking.id) }))!._id.toHexString();
  const ownFollowUp = await post(`/staff/follow-ups/${followUp}/resolve`, centre, { note: '已处理' });
  expect(ownFollowUp.status).toBe(403);
  expect((await db().collection('booking_follow_ups').findOne({ _id: oid(followUp) }))!.status).toBe('open');
  expect((await post(`/staff/follow-ups/${followUp}/resolve`, admin, { note: '已电话回访并致歉' })).status).toBe(200);
});
