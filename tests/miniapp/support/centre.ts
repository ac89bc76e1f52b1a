/** Fixtures for the service centre's staff pages (全程代办, 差评跟进, 服务统计), shaped as the API answers. */
import { user } from './http';
import { at, shanghaiDay } from './booking';

export const centreIds = {
  matter: '7'.repeat(24),
  matter2: '8'.repeat(24),
  followUp: '9'.repeat(24),
  followUp2: 'f'.repeat(24),
  booking: '6'.repeat(24),
  resident: 'a'.repeat(24),
  service: '1'.repeat(24),
  service2: '2'.repeat(24),
  service3: '3'.repeat(24),
};

export const centreMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'], displayName: '孙晓燕' }), rooms: [] } };
export const gridWorkerMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['grid_worker'], displayName: '周海涛' }), rooms: [] } };

/** A matterView. */
export function matter(over: Record<string, unknown> = {}) {
  return {
    id: centreIds.matter,
    bookingId: centreIds.booking,
    residentId: centreIds.resident,
    residentName: '刘桂兰',
    serviceName: '高龄津贴申请',
    startAt: at(shanghaiDay(0), '09:00'),
    status: 'open',
    ownerName: null,
    promisedBy: null,
    notes: [],
    createdAt: at(shanghaiDay(0), '09:10'),
    ...over,
  };
}

/** A matter 孙晓燕 accepted this morning, promising a date a week ahead. */
export function acceptedMatter(over: Record<string, unknown> = {}) {
  const promisedBy = shanghaiDay(7);
  return matter({
    status: 'accepted',
    ownerName: '孙晓燕',
    promisedBy,
    notes: [{ at: at(shanghaiDay(0), '09:20'), byName: '孙晓燕', text: `已接办，承诺${promisedBy}前办结` }],
    ...over,
  });
}

/** A follow-up as GET /staff/follow-ups lists it. */
export function followUp(over: Record<string, unknown> = {}) {
  return {
    id: centreIds.followUp,
    bookingId: centreIds.booking,
    serviceName: '社保卡申领与补换',
    startAt: at(shanghaiDay(-1), '09:00'),
    residentName: '王秀兰',
    level: 2,
    comment: '等了四十分钟才轮到我',
    status: 'open',
    resolution: null,
    ...over,
  };
}

/** A serviceStats row. */
export function statsRow(over: Record<string, unknown> = {}) {
  return {
    serviceId: centreIds.service,
    serviceName: '社保卡申领与补换',
    booked: 0,
    attended: 0,
    noShow: 0,
    cancelled: 0,
    ratingSum: 0,
    ratingCount: 0,
    ...over,
  };
}
