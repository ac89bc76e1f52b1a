/** Fixtures for the staff vote pages (投票管理), shaped as the API answers (shared pollView, topicView, …). */
import { user } from './http';
import { at, shanghaiDay } from './booking';

export const pollIds = {
  owner: 'a1'.repeat(12),
  room: 'b2'.repeat(12),
  draft: 'c3'.repeat(12),
  closed: 'd4'.repeat(12),
  grid1: '9a'.repeat(12),
  grid2: '9b'.repeat(12),
  grid3: '9c'.repeat(12),
  building1: '8a'.repeat(12),
  building2: '8b'.repeat(12),
  upload: 'e5'.repeat(12),
  topic: 'f6'.repeat(12),
  comment: 'f7'.repeat(12),
  objection: 'f8'.repeat(12),
  objection2: 'f9'.repeat(12),
};

export const centreMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['community_staff'], displayName: '孙晓燕', communityId: '1'.repeat(24) }), rooms: [] } };
export const gridWorkerMe = {
  status: 200,
  body: { ...user({ kind: 'staff', roles: ['grid_worker'], displayName: '周海涛', communityId: '1'.repeat(24), gridIds: [pollIds.grid1] }), rooms: [] },
};
export const propertyMe = { status: 200, body: { ...user({ kind: 'staff', roles: ['property_staff'], displayName: '钱伟' }), rooms: [] } };

export const grids = {
  status: 200,
  body: {
    items: [
      { id: pollIds.grid1, name: '第一网格', code: 'G1', workerIds: [] },
      { id: pollIds.grid2, name: '第二网格', code: 'G2', workerIds: [] },
      { id: pollIds.grid3, name: '第三网格', code: 'G3', workerIds: [] },
    ],
  },
};

export const buildings = {
  status: 200,
  body: {
    items: [
      { id: pollIds.building1, name: '1号楼', gridId: pollIds.grid1, propertyCompanyId: null, unitCount: 2 },
      { id: pollIds.building2, name: '2号楼', gridId: pollIds.grid1, propertyCompanyId: null, unitCount: 2 },
    ],
  },
};

/** A household vote (按户) with one multiple-choice question, open now. */
export function roomPoll(over: Record<string, unknown> = {}) {
  return {
    id: pollIds.room,
    title: '社区文化节活动项目',
    description: '今年的社区文化节想办哪些活动？每户最多选两项。',
    questions: [{ title: '您家最想参加哪些活动', kind: 'multiple', options: ['广场舞比赛', '趣味运动会', '书画展'], minPicks: 1, maxPicks: 2, matter: null }],
    opensAt: at(shanghaiDay(-1), '08:00'),
    closesAt: at(shanghaiDay(13), '20:00'),
    status: 'open',
    countingUnit: 'room',
    secrecy: 'secret',
    resultVisibility: 'live',
    scopeLabel: '全社区',
    ruleText: '本次表决按户计票，每户一票。',
    noticeDays: 7,
    noticeUntil: null,
    participation: { heads: 120, totalHeads: 600, area: null, totalArea: null },
    myUnits: [],
    canVote: false,
    resultAvailable: true,
    topicId: null,
    ...over,
  };
}

/** An art. 278 owner vote on 1号楼 (matter 7), open now, results after close. */
export function ownerPoll(over: Record<string, unknown> = {}) {
  return roomPoll({
    id: pollIds.owner,
    title: '1号楼加装电梯',
    description: '1、2单元各加装一部电梯。',
    questions: [{ title: '是否同意1号楼1、2单元加装电梯', kind: 'yesno', options: ['同意', '反对', '弃权'], minPicks: 1, maxPicks: 1, matter: 7 }],
    countingUnit: 'owner',
    secrecy: 'named',
    resultVisibility: 'after_close',
    scopeLabel: '1号楼',
    participation: { heads: 12, totalHeads: 48, area: 108000, totalArea: 432000 },
    resultAvailable: false,
    ...over,
  });
}

export function draftPoll(over: Record<string, unknown> = {}) {
  return ownerPoll({ id: pollIds.draft, title: '选聘新的物业服务企业', status: 'draft', participation: null, opensAt: at(shanghaiDay(1), '08:00'), ...over });
}

export function closedPoll(over: Record<string, unknown> = {}) {
  return roomPoll({
    id: pollIds.closed,
    title: '儿童游乐区改造方案',
    status: 'closed',
    opensAt: at(shanghaiDay(-20), '08:00'),
    closesAt: at(shanghaiDay(-3), '20:00'),
    noticeUntil: at(shanghaiDay(4), '20:00'),
    resultAvailable: true,
    ...over,
  });
}

/** GET /staff/polls/:id/non-voters. */
export function nonVoters(over: Record<string, unknown> = {}) {
  return {
    total: 4,
    voted: 1,
    items: [
      { unitKey: 'owners:0001', label: '1号楼 1单元 101', holder: '刘桂兰', areaCenti: 8950, gridNames: ['第一网格'] },
      { unitKey: 'owners:0002+0003', label: '1号楼 1单元 502', holder: '张建华、李秀梅', areaCenti: 12075, gridNames: ['第一网格'] },
      { unitKey: 'developer', label: '1号楼 2单元 601、1号楼 2单元 602', holder: '建设单位（未售出房屋2套）', areaCenti: 19000, gridNames: ['第一网格'] },
    ],
    ...over,
  };
}

export function heldTopic(over: Record<string, unknown> = {}) {
  return {
    id: pollIds.topic,
    title: '小区东门晚上太暗了',
    body: '东门到3号楼这段路晚上没有路灯，老人出门不方便，能不能加两盏灯？',
    photoUrls: [],
    authorName: '王秀英',
    mine: false,
    byStaff: false,
    status: 'held',
    hiddenReason: null,
    supportCount: 0,
    supportThreshold: 20,
    supported: false,
    agendaAt: null,
    commentCount: 0,
    polls: [],
    meetings: [],
    createdAt: at(shanghaiDay(0), '09:30'),
    ...over,
  };
}

export function heldComment(over: Record<string, unknown> = {}) {
  return {
    id: pollIds.comment,
    authorName: '赵磊',
    mine: false,
    text: '物业电话 138 0000 0000 打不通，谁有别的号码？',
    status: 'held',
    hiddenReason: null,
    createdAt: at(shanghaiDay(0), '10:15'),
    topicId: pollIds.topic,
    ...over,
  };
}

export function objection(over: Record<string, unknown> = {}) {
  return {
    id: pollIds.objection,
    pollId: pollIds.closed,
    text: '我家502的纸质票是网格员收走的，结果里好像没算进去。',
    answer: null,
    answeredAt: null,
    createdAt: at(shanghaiDay(-1), '16:20'),
    createdOn: shanghaiDay(-1),
    ...over,
  };
}
