/** Fixtures for the 物业服务反馈 pages, shaped as the API's shared caseView. */
import { ids, user } from './http';

export const caseIds = {
  case: '1a'.repeat(12),
  case2: '2b'.repeat(12),
  case3: '3c'.repeat(12),
  photo1: '4d'.repeat(12),
  photo2: '5e'.repeat(12),
  building: ids.building,
  room: ids.room,
  company: '6f'.repeat(12),
};

/** An ISO time `ms` from now, as the API writes it (Asia/Shanghai offset). */
export function fromNow(ms: number): string {
  return new Date(Date.now() + ms + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

export const room = {
  bindingId: ids.binding,
  roomId: ids.room,
  label: '3号楼 2单元 1201',
  buildingId: ids.building,
  relation: 'owner',
  status: 'approved',
};

export const residentMe = (rooms: unknown[] = [room]) => ({ status: 200, body: { ...user({ roles: ['resident', 'owner'] }), rooms } });

export const buildings = {
  status: 200,
  body: {
    items: [
      { id: ids.building, name: '3号楼', gridId: 'f'.repeat(24), propertyCompanyId: caseIds.company, unitCount: 2 },
      { id: '9'.repeat(24), name: '13号楼', gridId: 'f'.repeat(24), propertyCompanyId: null, unitCount: 2 },
    ],
  },
};

export function step(action: string, label: string, over: Record<string, unknown> = {}) {
  return { at: fromNow(-5 * 3600_000), action, label, byName: '王秀兰', note: null, level: null, photoUrls: [], ...over };
}

/** A caseView: a repair at home, accepted by the property company, promised in 3 hours. */
export function caseView(over: Record<string, unknown> = {}) {
  return {
    id: caseIds.case,
    number: 'FK202611270001',
    kind: 'repair',
    category: 'utilities',
    urgent: false,
    buildingId: caseIds.building,
    placeLabel: '3号楼 2单元 1201',
    text: '厨房水管漏水，已经关了总阀',
    photoUrls: [],
    status: 'accepted',
    level: 'property',
    holderLabel: '金城物业服务有限公司',
    reporterName: '王秀兰',
    reporterPhone: '13800001234',
    visibility: 'everyone',
    mine: true,
    following: false,
    followers: 0,
    promisedBy: fromNow(3 * 3600_000 + 12 * 60_000 + 30_000),
    pausedUntil: null,
    overdue: false,
    awaitingAcknowledgement: false,
    rating: null,
    rectification: null,
    history: [
      step('submitted', '提交', { level: 'property', at: fromNow(-6 * 3600_000) }),
      step('accepted', '受理', { byName: '钱伟', at: fromNow(-5 * 3600_000) }),
    ],
    createdAt: fromNow(-6 * 3600_000),
    ...over,
  };
}
