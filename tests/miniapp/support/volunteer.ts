/** Fixtures for the volunteer pages, shaped as the API's shared schemas (activityView, signupView, …). */
import { user } from './http';
import { at, shanghaiDay } from './booking';

export const volIds = {
  activity: '1'.repeat(24),
  activity2: '2'.repeat(24),
  signup: '3'.repeat(24),
  signup2: '4'.repeat(24),
  reward: '5'.repeat(24),
  reward2: '6'.repeat(24),
  campaign: '7'.repeat(24),
  nomination: '8'.repeat(24),
  nomination2: '9'.repeat(24),
  poll: 'c'.repeat(24),
  resident: 'a'.repeat(24),
  grandma: 'd'.repeat(24),
};

export const residentMe = { status: 200, body: { ...user({ roles: ['resident', 'owner'] }), rooms: [] } };
export const centreStaffMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'], displayName: '孙晓燕' }), rooms: [] } };

/** An activityView two days ahead, 09:00–11:00, sign-up open now. */
export function activity(over: Record<string, unknown> = {}) {
  const day = shanghaiDay(2);
  return {
    id: volIds.activity,
    type: 'volunteer',
    title: '河滨公园清洁',
    description: '捡拾垃圾、清理河岸，手套和夹子现场发。',
    place: '河滨公园南门',
    organiser: '滨河社区新时代文明实践站',
    startAt: at(day, '09:00'),
    endAt: at(day, '11:00'),
    signupOpensAt: at(shanghaiDay(-3), '08:00'),
    signupClosesAt: at(shanghaiDay(1), '18:00'),
    capacity: 20,
    seatsLeft: 5,
    waiting: 0,
    cancelCutoffMinutes: 120,
    skills: [],
    minAge: null,
    maxAge: null,
    pointsPerHour: 10,
    graceMinutes: 30,
    status: 'published',
    cancelledAt: null,
    cancelReason: null,
    mySignup: null,
    ...over,
  };
}

/** A signupView of the signed-in resident. */
export function signup(over: Record<string, unknown> = {}) {
  return {
    id: volIds.signup,
    activityId: volIds.activity,
    activityTitle: '河滨公园清洁',
    residentId: volIds.resident,
    residentName: '王秀兰',
    status: 'confirmed',
    waitPosition: null,
    checkInAt: null,
    checkOutAt: null,
    scannedMinutes: null,
    confirmedMinutes: null,
    actedByName: null,
    ...over,
  };
}

export function authority(scopes: string[], over: Record<string, unknown> = {}) {
  return {
    id: 'e'.repeat(24),
    grantorId: volIds.grandma,
    grantorName: '刘桂兰',
    granteeId: volIds.resident,
    granteeName: '王秀兰',
    scopes,
    expiresAt: '2099-12-26T09:00:00+08:00',
    revokedAt: null,
    active: true,
    createdAt: '2026-11-26T09:00:00+08:00',
    ...over,
  };
}

export function reward(over: Record<string, unknown> = {}) {
  return { id: volIds.reward, title: '环保布袋', description: '印有社区标志', pointsPrice: 50, stock: 100, left: 12, status: 'active', ...over };
}

export function redemption(over: Record<string, unknown> = {}) {
  return {
    id: 'f'.repeat(24),
    rewardId: volIds.reward,
    rewardTitle: '环保布袋',
    pointsPrice: 50,
    pickupCode: 'K7M2Q9XA',
    status: 'pending',
    residentName: '王秀兰',
    createdAt: at(shanghaiDay(0), '10:00'),
    handedOverAt: null,
    ...over,
  };
}

export function nomination(over: Record<string, unknown> = {}) {
  return {
    id: volIds.nomination,
    campaignId: volIds.campaign,
    category: '道德模范',
    kind: 'neighbour',
    nomineeName: '刘桂兰',
    reason: '十年如一日照顾楼里的独居老人，每天上门送饭、陪着说话，邻居们都很感动。',
    photoUrls: [],
    status: 'accepted',
    reviewNote: null,
    mine: false,
    objections: [],
    ...over,
  };
}

export function campaign(over: Record<string, unknown> = {}) {
  return {
    id: volIds.campaign,
    title: '2026年度道德模范评选',
    description: '推荐身边的好人好事。',
    categories: ['道德模范', '文明家庭'],
    nominateUntil: at(shanghaiDay(10), '18:00'),
    noticeDays: 7,
    noticeUntil: null,
    decision: 'vote',
    winnersPerCategory: 3,
    stage: 'nominating',
    pollId: null,
    honourRoll: [],
    publishedAt: null,
    nominations: [],
    ...over,
  };
}
