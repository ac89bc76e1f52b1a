import { shanghaiDate, type Role } from '@community/shared';
import type { Actor } from '../http/types.js';
import { Poll } from '../modules/poll/models.js';
import type { Services } from '../modules/services.js';
import { Building } from '../modules/space/models.js';
import { Topic } from '../modules/topic/models.js';
import { WechatIdentity } from '../modules/account/models.js';

/**
 * Something to see on the 议事 tab of a fresh `npm start`: topics at both
 * stages, and two open polls (an art. 278 owner vote on 1号楼 and a household
 * vote with live results). Only the demo seed CLI runs this, never the API
 * tests (their inboxes and counts stay their own). Safe to run twice.
 */
export async function seedDemoDeliberation(services: Services, communityId: string): Promise<void> {
  const actorFor = async (userId: string): Promise<Actor> => {
    const profile = await services.accounts.getUser(userId);
    return { id: profile.id, roles: profile.roles as Role[], communityId: profile.communityId, gridIds: profile.gridIds, propertyCompanyId: profile.propertyCompanyId, kind: profile.kind, profile };
  };
  const byOpenid = async (openid: string) => {
    const identity = await WechatIdentity.findOne({ openid }).lean<{ userId: { toHexString(): string } }>();
    if (!identity) throw new Error(`demo persona ${openid} is missing`);
    return actorFor(identity.userId.toHexString());
  };
  const wang = await byOpenid('demo-owner-wang');
  const liu = await byOpenid('demo-elder-liu');
  const zhao = await byOpenid('demo-tenant-zhao');
  const staff = await services.accounts.listUsers({ role: 'community_staff', communityId }, 1);
  const centre = await actorFor(staff[0]!.id);

  if (!(await Topic.exists({ communityId, title: '小区东门加装雨棚' }))) {
    const t = await services.topics.create(liu, { title: '小区东门加装雨棚', body: '下雨天东门口没有遮挡，老人拎着菜进出很不方便，地面也滑。建议在东门加装一个雨棚。', photoIds: [] });
    await services.topics.support(wang, t.id);
    await services.topics.comment(zhao, t.id, '赞成，接孩子放学的时候经常淋雨。');
    await services.topics.comment(wang, t.id, '雨棚的费用从公共收益里出，大家看行不行？');
  }
  if (!(await Topic.exists({ communityId, title: '2027年小区公共收益使用方案' }))) {
    await services.topics.create(centre, {
      title: '2027年小区公共收益使用方案',
      body: '去年小区广告位和停车场的公共收益共计12.6万元。社区和业委会拟定了三个使用方向，请大家在议事会前留言。',
      photoIds: [],
    });
  }

  const today = shanghaiDate(new Date());
  const opensAt = new Date(`${today}T00:00:00+08:00`).toISOString();
  const closesAt = new Date(new Date(`${today}T20:00:00+08:00`).getTime() + 14 * 86_400_000).toISOString();
  if (!(await Poll.exists({ communityId, title: '1号楼加装电梯' }))) {
    const building = await Building.findOne({ communityId, name: '1号楼' }).lean();
    const poll = await services.polls.create(centre, {
      title: '1号楼加装电梯',
      description: '1号楼1、2单元各加装一部电梯，费用按楼层分摊，具体方案见楼道公告栏。',
      questions: [{ title: '是否同意1号楼1、2单元加装电梯', kind: 'yesno', options: [], minPicks: 1, maxPicks: 1, matter: 7 }],
      opensAt,
      closesAt,
      countingUnit: 'owner',
      secrecy: 'named',
      resultVisibility: 'after_close',
      scope: { kind: 'buildings', ids: [building!._id.toHexString()] },
      noticeDays: 7,
    });
    await services.polls.open(centre, poll.id);
  }
  if (!(await Poll.exists({ communityId, title: '社区文化节活动项目' }))) {
    const poll = await services.polls.create(centre, {
      title: '社区文化节活动项目',
      description: '今年的社区文化节想办哪些活动？每户最多选两项。',
      questions: [{ title: '您家最想参加哪些活动', kind: 'multiple', options: ['广场舞比赛', '趣味运动会', '书画展', '老年合唱', '亲子手工'], minPicks: 1, maxPicks: 2 }],
      opensAt,
      closesAt,
      countingUnit: 'room',
      secrecy: 'secret',
      resultVisibility: 'live',
      scope: { kind: 'community' },
      noticeDays: 7,
    });
    await services.polls.open(centre, poll.id);
  }

  await seedDemoCouncil(services, communityId, { wang, liu, zhao, centre }, today);
}

/**
 * A council of five (two residents' representatives, a building head, the grid
 * worker of 第一网格 and 金城物业's man) and a meeting tomorrow evening on the
 * centre's topic, so 议事会 has something to show and the sign-in can be tried.
 */
async function seedDemoCouncil(services: Services, communityId: string, people: Record<'wang' | 'liu' | 'zhao' | 'centre', Actor>, today: string): Promise<void> {
  const { wang, liu, zhao, centre } = people;
  if ((await services.meetings.members(centre)).length > 0) return;
  const [grid] = await services.accounts.listUsers({ role: 'grid_worker', communityId }, 1);
  const [property] = await services.accounts.listUsers({ role: 'property_staff', communityId }, 1);
  await services.meetings.addMember(centre, { userId: wang.id, title: 'building_head' });
  await services.meetings.addMember(centre, { userId: liu.id, title: 'resident_rep' });
  await services.meetings.addMember(centre, { userId: zhao.id, title: 'resident_rep' });
  if (grid) await services.meetings.addMember(centre, { userId: grid.id, title: 'staff' });
  if (property) await services.meetings.addMember(centre, { userId: property.id, title: 'property_rep' });
  const topic = await Topic.findOne({ communityId, title: '2027年小区公共收益使用方案' }).lean();
  const tomorrow = new Date(new Date(`${today}T19:00:00+08:00`).getTime() + 86_400_000);
  await services.meetings.create(centre, {
    title: '滨河社区居民议事会（第四季度）',
    place: '社区活动中心二楼会议室',
    startsAt: tomorrow.toISOString(),
    endsAt: new Date(tomorrow.getTime() + 2 * 3_600_000).toISOString(),
    agenda: [
      ...(topic && topic.status === 'agenda' ? [{ title: topic.title, topicId: topic._id.toHexString() }] : []),
      { title: '冬季楼道照明和防滑安排' },
    ],
  });
}
