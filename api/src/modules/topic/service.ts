import { Types } from 'mongoose';
import { toShanghaiIso, type CommentView, type TopicCreateBody, type TopicDetailView, type TopicView } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { Logger } from '../../logger.js';
import type { WechatClient } from '../../wechat/client.js';
import type { AccountService } from '../account/service.js';
import type { NotificationService } from '../notification/service.js';
import { Meeting, Resolution, type MeetingDoc, type ResolutionDoc } from '../meeting/models.js';
import { Poll } from '../poll/models.js';
import { photoIdOf, type PhotoHolder, type UploadService } from '../upload/service.js';
import { Comment, Topic, TopicSupport, type CommentDoc, type TopicDoc } from './models.js';
import { createModerator } from './moderation.js';

export type TopicService = ReturnType<typeof createTopicService>;

export interface TopicDeps {
  accounts: AccountService;
  notifications: NotificationService;
  uploads: UploadService;
  wechat: WechatClient;
  openidOf: (userId: string) => Promise<string | null>;
  supportThreshold: number;
  log?: Logger;
}

const isCommunityStaff = (actor: Actor) => actor.roles.some((r) => r === 'community_staff' || r === 'admin');
const nameOf = (actor: Actor) => actor.profile.displayName ?? actor.profile.nickname;
const holderOf = (topicId: Types.ObjectId): PhotoHolder => `topic:${topicId.toHexString()}`;

/**
 * Topics (议题) and the discussion under them. Every text a resident writes is
 * checked by WeChat's msg_sec_check before anyone else sees it: pass shows it,
 * review holds it for staff, risky refuses it. When WeChat cannot be asked the
 * text is held, never shown unchecked.
 */
export function createTopicService(deps: TopicDeps) {
  const { notifications, wechat } = deps;

  const moderate = createModerator(wechat, deps.openidOf, deps.log);

  async function loadVisible(actor: Actor, topicId: string): Promise<TopicDoc> {
    const topic = await Topic.findById(topicId).lean<TopicDoc>();
    const ownCommunity = topic && topic.communityId.toHexString() === actor.communityId;
    const maySee = ownCommunity && (topic.status === 'collecting' || topic.status === 'agenda' || isCommunityStaff(actor) || topic.authorId.toHexString() === actor.id);
    if (!topic || !maySee) throw new AppError('NOT_FOUND', '没有找到这个议题');
    return topic;
  }

  /**
   * Why a guarded moderation update matched nothing: the wrong state (409) for
   * a topic of the desk's own community, not found (404) for one of another
   * community, so a desk cannot learn what exists elsewhere.
   */
  async function topicRefusal(actor: Actor, topicId: string, wrongState: string): Promise<AppError> {
    const own = await Topic.exists({ _id: topicId, communityId: new Types.ObjectId(actor.communityId!) });
    return own ? new AppError('CONFLICT', wrongState) : new AppError('NOT_FOUND', '没有找到这个议题');
  }

  async function commentRefusal(actor: Actor, commentId: string, wrongState: string): Promise<AppError> {
    const own = await Comment.exists({ _id: commentId, communityId: new Types.ObjectId(actor.communityId!) });
    return own ? new AppError('CONFLICT', wrongState) : new AppError('NOT_FOUND', '没有找到这条意见');
  }

  async function view(topic: TopicDoc, actor: Actor): Promise<TopicView> {
    const topicId = topic._id.toHexString();
    const [supported, polls, meetings, resolutions] = await Promise.all([
      TopicSupport.exists({ _id: `${topicId}|${actor.id}` }),
      Poll.find({ topicId: topic._id, status: { $in: ['open', 'closed'] } }).select({ _id: 1, title: 1, status: 1 }).sort({ _id: 1 }).lean(),
      topic.status === 'agenda' ? Meeting.find({ communityId: topic.communityId, 'agenda.topicId': topic._id }).select({ _id: 1, title: 1, startsAt: 1, status: 1 }).sort({ startsAt: 1 }).lean<MeetingDoc[]>() : [],
      topic.status === 'agenda' ? Resolution.find({ topicId: topic._id }).lean<ResolutionDoc[]>() : [],
    ]);
    const mine = topic.authorId.toHexString() === actor.id;
    return {
      id: topicId,
      title: topic.title,
      body: topic.body,
      photoUrls: (topic.photoIds ?? []).map((id) => `/api/v1/topics/${topicId}/photos/${photoIdOf(id)}`),
      authorName: topic.authorName,
      mine,
      byStaff: topic.byStaff,
      status: topic.status,
      hiddenReason: mine || isCommunityStaff(actor) ? (topic.hiddenReason ?? null) : null,
      supportCount: topic.supportCount,
      supportThreshold: topic.supportThreshold,
      supported: !!supported,
      agendaAt: topic.agendaAt ? toShanghaiIso(topic.agendaAt) : null,
      commentCount: topic.commentCount,
      polls: polls.map((p) => ({ id: p._id.toHexString(), title: p.title, status: p.status })),
      meetings: meetings.map((m) => {
        const r = resolutions.find((x) => x.meetingId.equals(m._id));
        return {
          id: m._id.toHexString(),
          title: m.title,
          startsAt: toShanghaiIso(m.startsAt),
          cancelled: m.status === 'cancelled',
          resolution: r ? { text: r.text, passed: r.passed, status: r.status } : null,
        };
      }),
      createdAt: toShanghaiIso(topic.createdAt),
    };
  }

  function commentView(c: CommentDoc, actor: Actor): CommentView {
    const mine = c.authorId.toHexString() === actor.id;
    const full = mine || isCommunityStaff(actor) || c.status === 'visible';
    return {
      id: c._id.toHexString(),
      authorName: c.authorName,
      mine,
      text: full ? c.text : null,
      status: c.status,
      hiddenReason: mine || isCommunityStaff(actor) ? (c.hiddenReason ?? null) : null,
      createdAt: toShanghaiIso(c.createdAt),
    };
  }

  async function toAgenda(topic: TopicDoc, now: Date): Promise<void> {
    const moved = await Topic.findOneAndUpdate(
      { _id: topic._id, status: 'collecting', supportCount: { $gte: topic.supportThreshold } },
      { $set: { status: 'agenda', agendaAt: now } },
      { returnDocument: 'after' },
    ).lean<TopicDoc>();
    if (!moved) return;
    const staff = await deps.accounts.listUsers({ role: 'community_staff', communityId: topic.communityId.toHexString() }, 100);
    for (const s of staff) {
      await notifications.notify(s.id, { kind: 'topic', title: '有议题列入议事会', body: `《${topic.title}》已有${moved.supportCount}位居民支持，已列入议事会议题。`, link: `/vote/topic/index?id=${topic._id.toHexString()}` });
    }
    await notifications.notify(topic.authorId.toHexString(), { kind: 'topic', title: '您的议题已列入议事会', body: `《${topic.title}》得到${moved.supportCount}位居民支持，社区会安排议事会讨论。`, link: `/vote/topic/index?id=${topic._id.toHexString()}` });
  }

  return {
    async create(actor: Actor, body: TopicCreateBody, now = new Date()): Promise<TopicView> {
      const staff = isCommunityStaff(actor);
      if (!actor.communityId || (!staff && !actor.roles.includes('resident'))) throw new AppError('FORBIDDEN', '绑定房屋后才能发起议题');
      const verdict = await moderate(actor, `${body.title}\n${body.body}`, 3);
      const status = verdict !== 'pass' ? 'held' : staff ? 'agenda' : 'collecting';
      // Photos are claimed for the topic before it is written (no transactions), and given back if it is not.
      const topicId = new Types.ObjectId();
      const photoIds = await deps.uploads.attach(actor, body.photoIds, holderOf(topicId), now);
      const topic = await Topic.create({
        _id: topicId,
        communityId: new Types.ObjectId(actor.communityId),
        authorId: new Types.ObjectId(actor.id),
        authorName: staff ? `${nameOf(actor)}（社区）` : nameOf(actor),
        byStaff: staff,
        title: body.title,
        body: body.body,
        photoIds,
        status,
        supportThreshold: deps.supportThreshold,
        supportCount: staff ? 0 : 1,
        agendaAt: status === 'agenda' ? now : null,
        verdict,
      }).catch(async (error: unknown) => {
        await deps.uploads.detach(photoIds, holderOf(topicId));
        throw error;
      });
      // The author is the first supporter.
      if (!staff) await TopicSupport.create({ _id: `${topic._id.toHexString()}|${actor.id}`, topicId: topic._id, userId: new Types.ObjectId(actor.id) });
      return view(topic.toObject() as TopicDoc, actor);
    },

    async list(actor: Actor, filter: 'collecting' | 'agenda' | 'mine' | undefined, limit: number): Promise<TopicView[]> {
      if (!actor.communityId) return [];
      const query: Record<string, unknown> = { communityId: new Types.ObjectId(actor.communityId) };
      if (filter === 'mine') query.authorId = new Types.ObjectId(actor.id);
      else if (filter) query.status = filter;
      else if (!isCommunityStaff(actor)) query.status = { $in: ['collecting', 'agenda'] };
      const topics = await Topic.find(query).sort({ _id: -1 }).limit(limit).lean<TopicDoc[]>();
      return Promise.all(topics.map((t) => view(t, actor)));
    },

    /**
     * One photo of a topic, for whoever may see the topic now: its community's
     * members while it is collecting or on the agenda, held or hidden ones only
     * to the centre (and their author). Every refusal is the same 404.
     */
    async photo(actor: Actor, topicId: string, photoId: string): Promise<{ data: Buffer; contentType: string }> {
      const missing = new AppError('NOT_FOUND', '没有找到这张照片');
      const topic = await loadVisible(actor, topicId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      });
      if (!topic || !(topic.photoIds ?? []).some((id) => photoIdOf(id) === photoId)) throw missing;
      return deps.uploads.readHeld(photoId, holderOf(topic._id));
    },

    async get(actor: Actor, topicId: string): Promise<TopicDetailView> {
      const topic = await loadVisible(actor, topicId);
      const comments = await Comment.find({ topicId: topic._id }).sort({ _id: 1 }).limit(500).lean<CommentDoc[]>();
      const shown = comments.filter((c) => c.status !== 'held' || c.authorId.toHexString() === actor.id || isCommunityStaff(actor));
      return { ...(await view(topic, actor)), comments: shown.map((c) => commentView(c, actor)) };
    },

    /** One support per person (a repeat changes nothing); crossing the threshold puts the topic on the agenda once. */
    async support(actor: Actor, topicId: string, now = new Date()): Promise<TopicView> {
      const topic = await loadVisible(actor, topicId);
      if (topic.status !== 'collecting' && topic.status !== 'agenda') throw new AppError('TOPIC_CLOSED');
      if (!actor.roles.includes('resident')) throw new AppError('FORBIDDEN', '绑定房屋的居民才能支持议题');
      try {
        await TopicSupport.create({ _id: `${topicId}|${actor.id}`, topicId: topic._id, userId: new Types.ObjectId(actor.id) });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return view(topic, actor);
      }
      const updated = (await Topic.findOneAndUpdate({ _id: topic._id }, { $inc: { supportCount: 1 } }, { returnDocument: 'after' }).lean<TopicDoc>())!;
      if (updated.status === 'collecting' && updated.supportCount >= updated.supportThreshold) await toAgenda(updated, now);
      return view((await Topic.findById(topicId).lean<TopicDoc>())!, actor);
    },

    async comment(actor: Actor, topicId: string, text: string): Promise<CommentView> {
      const topic = await loadVisible(actor, topicId);
      if (topic.status !== 'collecting' && topic.status !== 'agenda') throw new AppError('TOPIC_CLOSED');
      if (!actor.roles.includes('resident') && !isCommunityStaff(actor)) throw new AppError('FORBIDDEN', '绑定房屋后才能发表意见');
      const verdict = await moderate(actor, text, 2);
      const status = verdict === 'pass' ? 'visible' : 'held';
      const doc = await Comment.create({
        topicId: topic._id,
        communityId: topic.communityId,
        authorId: new Types.ObjectId(actor.id),
        authorName: isCommunityStaff(actor) ? `${nameOf(actor)}（社区）` : nameOf(actor),
        text,
        status,
        verdict,
      });
      if (status === 'visible') await Topic.updateOne({ _id: topic._id }, { $inc: { commentCount: 1 } });
      return commentView(doc.toObject() as CommentDoc, actor);
    },

    /** What waits for staff: held topics and comments. */
    async reviewQueue(actor: Actor) {
      const communityId = new Types.ObjectId(actor.communityId!);
      const [topics, comments] = await Promise.all([
        Topic.find({ communityId, status: 'held' }).sort({ _id: 1 }).limit(100).lean<TopicDoc[]>(),
        Comment.find({ communityId, status: 'held' }).sort({ _id: 1 }).limit(100).lean<CommentDoc[]>(),
      ]);
      return {
        topics: await Promise.all(topics.map((t) => view(t, actor))),
        comments: comments.map((c) => ({ ...commentView(c, actor), topicId: c.topicId.toHexString() })),
      };
    },

    /** Hidden, never deleted: the author sees the reason. */
    async hideComment(actor: Actor, commentId: string, reason: string): Promise<CommentView> {
      const before = await Comment.findOneAndUpdate(
        { _id: commentId, communityId: new Types.ObjectId(actor.communityId!), status: { $in: ['visible', 'held'] } },
        { $set: { status: 'hidden', hiddenReason: reason, hiddenBy: new Types.ObjectId(actor.id) } },
      ).lean<CommentDoc>();
      if (!before) throw await commentRefusal(actor, commentId, '这条意见已经隐藏了');
      if (before.status === 'visible') await Topic.updateOne({ _id: before.topicId }, { $inc: { commentCount: -1 } });
      await notifications.notify(before.authorId.toHexString(), { kind: 'topic', title: '您的一条意见被隐藏了', body: `原因：${reason}`, link: `/vote/topic/index?id=${before.topicId.toHexString()}` });
      return commentView({ ...before, status: 'hidden', hiddenReason: reason }, actor);
    },

    async releaseComment(actor: Actor, commentId: string): Promise<CommentView> {
      const released = await Comment.findOneAndUpdate(
        { _id: commentId, communityId: new Types.ObjectId(actor.communityId!), status: 'held' },
        { $set: { status: 'visible' } },
        { returnDocument: 'after' },
      ).lean<CommentDoc>();
      if (!released) throw await commentRefusal(actor, commentId, '这条意见不在待审核中');
      await Topic.updateOne({ _id: released.topicId }, { $inc: { commentCount: 1 } });
      return commentView(released, actor);
    },

    async hideTopic(actor: Actor, topicId: string, reason: string): Promise<TopicView> {
      const hidden = await Topic.findOneAndUpdate(
        { _id: topicId, communityId: new Types.ObjectId(actor.communityId!), status: { $ne: 'hidden' } },
        { $set: { status: 'hidden', hiddenReason: reason } },
        { returnDocument: 'after' },
      ).lean<TopicDoc>();
      if (!hidden) throw await topicRefusal(actor, topicId, '这个议题已经隐藏了');
      await notifications.notify(hidden.authorId.toHexString(), { kind: 'topic', title: '您的议题被隐藏了', body: `《${hidden.title}》：${reason}`, link: `/vote/topic/index?id=${topicId}` });
      return view(hidden, actor);
    },

    async releaseTopic(actor: Actor, topicId: string, now = new Date()): Promise<TopicView> {
      const released = await Topic.findOneAndUpdate(
        { _id: topicId, communityId: new Types.ObjectId(actor.communityId!), status: 'held' },
        { $set: { status: 'collecting' } },
        { returnDocument: 'after' },
      ).lean<TopicDoc>();
      if (!released) throw await topicRefusal(actor, topicId, '这个议题不在待审核中');
      if (released.supportCount >= released.supportThreshold) await toAgenda(released, now);
      return view((await Topic.findById(topicId).lean<TopicDoc>())!, actor);
    },

    /** The council takes up a topic before it reached the threshold. */
    async putOnAgenda(actor: Actor, topicId: string, now = new Date()): Promise<TopicView> {
      const moved = await Topic.findOneAndUpdate(
        { _id: topicId, communityId: new Types.ObjectId(actor.communityId!), status: 'collecting' },
        { $set: { status: 'agenda', agendaAt: now } },
        { returnDocument: 'after' },
      ).lean<TopicDoc>();
      if (!moved) throw await topicRefusal(actor, topicId, '只有征集支持中的议题可以列入议事会');
      await notifications.notify(moved.authorId.toHexString(), { kind: 'topic', title: '您的议题已列入议事会', body: `《${moved.title}》已列入议事会议题。`, link: `/vote/topic/index?id=${topicId}` });
      return view(moved, actor);
    },
  };
}
