/** Fixtures for the 居民议事与投票 pages, shaped as the API answers (shared pollView, topicView, pollResultView…). */
import { explainPoll, type PollView, type TopicDetailView, type TopicView } from '@community/shared';
import { user } from './http';

export const voteIds = {
  poll: '1'.repeat(24),
  poll2: '2'.repeat(24),
  poll3: '3'.repeat(24),
  topic: '4'.repeat(24),
  topic2: '5'.repeat(24),
  comment: '6'.repeat(24),
  grantor: '7'.repeat(24),
  upload: '8'.repeat(24),
  me: 'a'.repeat(24),
  community: 'd'.repeat(24),
};

const hour = 3600_000;
/** An ISO time in Asia/Shanghai, `hours` from now. */
export function shanghaiIso(hours: number): string {
  return new Date(Date.now() + hours * hour + 8 * hour).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

export const residentMe = (rooms: unknown[] = [{ bindingId: 'e'.repeat(24), roomId: 'c'.repeat(24), label: '1号楼 1单元 101', relation: 'owner', status: 'approved' }]) => ({
  status: 200,
  body: { ...user({ roles: ['resident', 'owner'], communityId: voteIds.community }), rooms },
});

type Unit = PollView['myUnits'][number];

export function unit(over: Partial<Unit> = {}): Unit {
  return { key: 'owners:a1', label: '1号楼 1单元 101', voted: false, channel: null, forResidentId: null, ...over };
}

/** An open owner vote on 1号楼 (art. 278, matter 7), the caller holding one unvoted unit. */
export function poll(over: Partial<PollView> = {}): PollView {
  const questions: PollView['questions'] = over.questions ?? [{ title: '是否同意1号楼1、2单元加装电梯', kind: 'yesno', options: ['同意', '反对', '弃权'], minPicks: 1, maxPicks: 1, matter: 7 }];
  const countingUnit = over.countingUnit ?? 'owner';
  const secrecy = over.secrecy ?? (countingUnit === 'owner' ? 'named' : 'secret');
  return {
    id: voteIds.poll,
    title: '1号楼加装电梯',
    description: '1号楼1、2单元各加装一部电梯，费用按楼层分摊，具体方案见楼道公告栏。',
    questions,
    opensAt: shanghaiIso(-24),
    closesAt: shanghaiIso(24 * 13),
    status: 'open',
    countingUnit,
    secrecy,
    resultVisibility: 'after_close',
    scopeLabel: '1号楼',
    ruleText: explainPoll({ countingUnit, secrecy, questions }),
    noticeDays: 7,
    noticeUntil: null,
    participation: { heads: 12, totalHeads: 60, area: countingUnit === 'owner' ? 105000 : null, totalArea: countingUnit === 'owner' ? 540000 : null },
    myUnits: [unit()],
    canVote: true,
    resultAvailable: false,
    topicId: null,
    ...over,
  };
}

export function cast(over: Record<string, unknown> = {}) {
  return {
    pollId: voteIds.poll,
    unitKey: 'owners:a1',
    unitLabel: '1号楼 1单元 101',
    channel: 'online',
    receipt: 'ABCD-EFGH-JKMN',
    castAt: shanghaiIso(0),
    ...over,
  };
}

export function authority(scopes: string[], over: Record<string, unknown> = {}) {
  return {
    id: 'c'.repeat(24),
    grantorId: voteIds.grantor,
    grantorName: '王秀英',
    granteeId: voteIds.me,
    granteeName: '李建国',
    scopes,
    expiresAt: '2099-12-26T09:00:00+08:00',
    revokedAt: null,
    active: true,
    createdAt: '2026-11-26T09:00:00+08:00',
    ...over,
  };
}

export function topic(over: Partial<TopicView> = {}): TopicView {
  return {
    id: voteIds.topic,
    title: '小区东门加装雨棚',
    body: '下雨天东门口没有遮挡，老人拎着菜进出很不方便，地面也滑。建议在东门加装一个雨棚。',
    photoUrls: [],
    authorName: '刘桂兰',
    mine: false,
    byStaff: false,
    status: 'collecting',
    hiddenReason: null,
    supportCount: 7,
    supportThreshold: 20,
    supported: false,
    agendaAt: null,
    commentCount: 1,
    polls: [],
    meetings: [],
    createdAt: shanghaiIso(-48),
    ...over,
  };
}

export function comment(over: Partial<TopicDetailView['comments'][number]> = {}): TopicDetailView['comments'][number] {
  return {
    id: voteIds.comment,
    authorName: '赵磊',
    mine: false,
    text: '赞成，接孩子放学的时候经常淋雨。',
    status: 'visible',
    hiddenReason: null,
    createdAt: shanghaiIso(-24),
    ...over,
  };
}

export function topicDetail(over: Partial<TopicDetailView> = {}): TopicDetailView {
  return { ...topic(over), comments: [comment()], ...over };
}

/** A 1×1 PNG: the smallest real photo the upload route accepts. */
export const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
  0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x54,
  0xa2, 0x4f, 0x5d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);
