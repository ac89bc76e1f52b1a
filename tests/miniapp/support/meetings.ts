/** Fixtures for the 议事会 pages (V10), shaped as shared/src/schemas/meeting.ts. */
import { meetingDetailView, meetingView, resolutionView, attendanceView, councilMemberView, signInCodeView } from '@community/shared';
import { user } from './http';

export const mtgIds = {
  meeting: '1'.repeat(24),
  meeting2: '2'.repeat(24),
  resolution: '3'.repeat(24),
  topic: '4'.repeat(24),
  wang: '5'.repeat(24),
  li: '6'.repeat(24),
  zhao: '7'.repeat(24),
  me: 'a'.repeat(24),
};

export const residentMe = { status: 200, body: { ...user({ roles: ['resident', 'owner'] }), rooms: [] } };
export const centreMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'], displayName: '孙晓燕' }), rooms: [] } };
export const adminMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['admin'], displayName: '马建国' }), rooms: [] } };
export const gridWorkerMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['grid_worker'], displayName: '周海涛' }), rooms: [] } };

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3600_000;

/** A meetingView; by default it began 30 minutes ago and ends in 90 minutes, 9 members, 4 here. */
export function meeting(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return meetingView.parse({
    id: mtgIds.meeting,
    title: '12月居民议事会',
    place: '社区党群服务中心二楼会议室',
    startsAt: iso(now - 0.5 * HOUR),
    endsAt: iso(now + 1.5 * HOUR),
    status: 'scheduled',
    cancelReason: null,
    agenda: [
      { title: '3号楼加装电动车充电桩', topicId: mtgIds.topic },
      { title: '小区东门夜间照明', topicId: null },
    ],
    expected: 9,
    present: 4,
    quorum: 5,
    quorumMet: false,
    signInOpen: true,
    me: { member: false, signedInAt: null },
    minutes: null,
    resolutionCount: 0,
    createdAt: iso(now - 72 * HOUR),
    ...over,
  });
}

/** A meeting three days ahead (sign-in not open yet). */
export function futureMeeting(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return meeting({ id: mtgIds.meeting2, title: '1月居民议事会', startsAt: iso(now + 72 * HOUR), endsAt: iso(now + 74 * HOUR), present: 0, signInOpen: false, ...over });
}

export function resolution(over: Record<string, unknown> = {}) {
  return resolutionView.parse({
    id: mtgIds.resolution,
    meetingId: mtgIds.meeting,
    agendaIndex: 0,
    agendaTitle: '3号楼加装电动车充电桩',
    topicId: mtgIds.topic,
    text: '在3号楼东侧安装电动车充电桩10个，费用由物业先行垫付。',
    yes: 5,
    no: 1,
    abstain: 0,
    present: 6,
    passed: true,
    owner: '金城物业',
    dueDate: '2026-12-31',
    status: 'open',
    followUps: [],
    createdAt: iso(Date.now() - 10 * 60_000),
    ...over,
  });
}

export function detail(over: Record<string, unknown> = {}, resolutions: unknown[] = []) {
  return meetingDetailView.parse({ ...meeting(over), resolutions });
}

export function attendance(over: Record<string, unknown> = {}) {
  return attendanceView.parse({ userId: mtgIds.wang, name: '王秀英', title: 'resident_rep', signedInAt: null, method: null, ...over });
}

export function member(over: Record<string, unknown> = {}) {
  return councilMemberView.parse({ userId: mtgIds.wang, name: '王秀英', title: 'resident_rep', joinedAt: '2026-10-01T02:00:00.000Z', ...over });
}

export function signInCode(code = 'AbCdEfGh23') {
  return signInCodeView.parse({ code, page: `vote/meeting-sign/index?c=${code}`, expiresAt: iso(Date.now() + 2 * HOUR) });
}
