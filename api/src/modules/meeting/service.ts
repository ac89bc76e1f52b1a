import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import {
  MEETING_SIGN_IN_EARLY_MINUTES,
  toShanghaiIso,
  type AttendanceView,
  type CouncilMemberBody,
  type CouncilMemberView,
  type CouncilStaffCandidateView,
  type FollowUpBody,
  type MeetingCreateBody,
  type MeetingDetailView,
  type MeetingView,
  type ResolutionCreateBody,
  type ResolutionView,
  type SignInCodeView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { NotificationService } from '../notification/service.js';
import { Topic, type TopicDoc } from '../topic/models.js';
import {
  CouncilMember,
  Meeting,
  MeetingAttendance,
  MeetingCode,
  MinutesRevision,
  Resolution,
  type AttendanceDoc,
  type CouncilMemberDoc,
  type MeetingCodeDoc,
  type MeetingDoc,
  type ResolutionDoc,
} from './models.js';

export type MeetingService = ReturnType<typeof createMeetingService>;

export interface MeetingDeps {
  accounts: AccountService;
  notifications: NotificationService;
}

/** Codes: 10 characters, no look-alikes (0/O, 1/I/l), also usable as a mini-program code's scene. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const SIGN_PAGE = 'vote/meeting-sign/index';

const nameOf = (actor: Actor) => actor.profile.displayName ?? actor.profile.nickname;
/** 过半数: more than half of the members called. */
export const quorumOf = (expected: number) => Math.floor(expected / 2) + 1;
const when = (at: Date) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);

/**
 * 议事会 (V10): the council's members, meetings called with an agenda (often
 * topics residents raised), sign-in on site by the poster's code with the
 * quorum counted against the members called, minutes kept in revisions, and
 * resolutions whose carrying-out residents can follow.
 */
export function createMeetingService(deps: MeetingDeps) {
  const { notifications } = deps;

  const inCommunity = (actor: Actor) => {
    if (!actor.communityId) throw new AppError('FORBIDDEN', '绑定房屋后才能查看议事会');
    return new Types.ObjectId(actor.communityId);
  };

  async function load(actor: Actor, meetingId: string): Promise<MeetingDoc> {
    const meeting = Types.ObjectId.isValid(meetingId) ? await Meeting.findById(meetingId).lean<MeetingDoc>() : null;
    if (!meeting || meeting.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这次议事会');
    return meeting;
  }

  const signInOpen = (m: MeetingDoc, now: Date) =>
    m.status === 'scheduled' && now.getTime() >= m.startsAt.getTime() - MEETING_SIGN_IN_EARLY_MINUTES * 60_000 && now <= m.endsAt;

  /** What a view needs beyond the meeting: my sign-in and how many resolutions it has (a list reads both once for all). */
  interface Extras {
    signedInAt: Date | null;
    resolutionCount: number;
  }

  async function extrasOf(m: MeetingDoc, actor: Actor): Promise<Extras> {
    const member = m.expectedIds.some((id) => id.toHexString() === actor.id);
    const [mine, resolutionCount] = await Promise.all([
      member ? MeetingAttendance.findById(`${m._id.toHexString()}|${actor.id}`).lean<AttendanceDoc>() : null,
      Resolution.countDocuments({ meetingId: m._id }),
    ]);
    return { signedInAt: mine?.at ?? null, resolutionCount };
  }

  async function view(m: MeetingDoc, actor: Actor, now = new Date(), extras?: Extras): Promise<MeetingView> {
    const meetingId = m._id.toHexString();
    const member = m.expectedIds.some((id) => id.toHexString() === actor.id);
    const { signedInAt, resolutionCount } = extras ?? (await extrasOf(m, actor));
    const quorum = quorumOf(m.expectedIds.length);
    return {
      id: meetingId,
      title: m.title,
      place: m.place,
      startsAt: toShanghaiIso(m.startsAt),
      endsAt: toShanghaiIso(m.endsAt),
      status: m.status,
      cancelReason: m.cancelReason ?? null,
      agenda: m.agenda.map((a) => ({ title: a.title, topicId: a.topicId?.toHexString() ?? null })),
      expected: m.expectedIds.length,
      present: m.present,
      quorum,
      quorumMet: m.present >= quorum,
      signInOpen: signInOpen(m, now),
      me: { member, signedInAt: signedInAt ? toShanghaiIso(signedInAt) : null },
      minutes: m.minutes ? { text: m.minutes.text, byName: m.minutes.byName, at: toShanghaiIso(m.minutes.at), revision: m.minutes.revision } : null,
      resolutionCount,
      createdAt: toShanghaiIso(m.createdAt),
    };
  }

  function resolutionView(r: ResolutionDoc): ResolutionView {
    return {
      id: r._id.toHexString(),
      meetingId: r.meetingId.toHexString(),
      agendaIndex: r.agendaIndex,
      agendaTitle: r.agendaTitle,
      topicId: r.topicId?.toHexString() ?? null,
      text: r.text,
      yes: r.yes,
      no: r.no,
      abstain: r.abstain,
      present: r.present,
      passed: r.passed,
      owner: r.owner,
      dueDate: r.dueDate,
      status: r.status,
      followUps: (r.followUps ?? []).map((f) => ({ note: f.note, status: f.status, byName: f.byName, at: toShanghaiIso(f.at) })),
      createdAt: toShanghaiIso(r.createdAt),
    };
  }

  const memberView = (m: CouncilMemberDoc): CouncilMemberView => ({ userId: m.userId.toHexString(), name: m.name, title: m.title, joinedAt: toShanghaiIso(m.joinedAt) });

  async function codeView(code: MeetingCodeDoc): Promise<SignInCodeView> {
    return { code: code._id, page: `${SIGN_PAGE}?c=${code._id}`, expiresAt: toShanghaiIso(code.expiresAt) };
  }

  /** Inserts the attendance row first: only the insert that wins moves 实到, so replays and double taps count once. */
  async function signIn(meeting: MeetingDoc, userId: string, method: 'scan' | 'desk', byId: string, now: Date): Promise<AttendanceDoc> {
    const meetingId = meeting._id.toHexString();
    try {
      const row = await MeetingAttendance.create({ _id: `${meetingId}|${userId}`, meetingId: meeting._id, userId: new Types.ObjectId(userId), at: now, method, byId: new Types.ObjectId(byId) });
      await Meeting.updateOne({ _id: meeting._id }, { $inc: { present: 1 } });
      return row.toObject() as AttendanceDoc;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await MeetingAttendance.findById(`${meetingId}|${userId}`).lean<AttendanceDoc>())!;
    }
  }

  return {
    async members(actor: Actor): Promise<CouncilMemberView[]> {
      const members = await CouncilMember.find({ communityId: inCommunity(actor), leftAt: null }).sort({ joinedAt: 1 }).lean<CouncilMemberDoc[]>();
      return members.map(memberView);
    },

    /**
     * The community's desk people (centre, property, grid), so centre staff who
     * are not admins can put them on the council; the admin-only user list
     * carries more than a name.
     */
    async staffCandidates(actor: Actor): Promise<CouncilStaffCandidateView[]> {
      const out = new Map<string, CouncilStaffCandidateView>();
      for (const desk of ['community_staff', 'property_staff', 'grid_worker'] as const) {
        for (const u of await deps.accounts.listUsers({ role: desk, communityId: actor.communityId }, 100)) {
          if (!out.has(u.id)) out.set(u.id, { userId: u.id, name: u.displayName ?? u.nickname, desk });
        }
      }
      return [...out.values()];
    },

    async addMember(actor: Actor, body: CouncilMemberBody, now = new Date()): Promise<CouncilMemberView> {
      const communityId = inCommunity(actor);
      const user = await deps.accounts.getUser(body.userId).catch(() => null);
      if (!user || user.communityId !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这位居民，或他不在本社区');
      const _id = `${actor.communityId}|${body.userId}`;
      const name = user.displayName ?? user.nickname;
      try {
        await CouncilMember.create({ _id, communityId, userId: new Types.ObjectId(body.userId), name, title: body.title, joinedAt: now });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Someone who left may come back; a current member cannot be added twice.
        const back = await CouncilMember.findOneAndUpdate({ _id, leftAt: { $ne: null } }, { $set: { leftAt: null, joinedAt: now, title: body.title, name } }, { returnDocument: 'after' }).lean<CouncilMemberDoc>();
        if (!back) throw new AppError('CONFLICT', `${name}已经是议事会成员了`);
        return memberView(back);
      }
      await notifications.notify(body.userId, { kind: 'meeting', title: '您已成为居民议事会成员', body: '召开议事会时会提前通知您，到场后扫会场的签到码签到。', link: '/vote/meetings/index' });
      return memberView((await CouncilMember.findById(_id).lean<CouncilMemberDoc>())!);
    },

    async removeMember(actor: Actor, userId: string, now = new Date()): Promise<void> {
      const left = await CouncilMember.findOneAndUpdate({ _id: `${actor.communityId}|${userId}`, leftAt: null }, { $set: { leftAt: now } });
      if (!left) throw new AppError('NOT_FOUND', '这位不是现在的议事会成员');
    },

    async create(actor: Actor, body: MeetingCreateBody, now = new Date()): Promise<MeetingView> {
      const communityId = inCommunity(actor);
      const startsAt = new Date(body.startsAt);
      if (new Date(body.endsAt) <= now) throw new AppError('VALIDATION_FAILED', '结束时间已经过了，请重新选择', { fields: { endsAt: ['结束时间已经过了'] } });
      const members = await CouncilMember.find({ communityId, leftAt: null }).lean<CouncilMemberDoc[]>();
      if (members.length === 0) throw new AppError('CONFLICT', '议事会还没有成员，请先在“议事会成员”里添加');
      const topicIds = body.agenda.flatMap((a) => (a.topicId ? [new Types.ObjectId(a.topicId)] : []));
      const topics = topicIds.length ? await Topic.find({ _id: { $in: topicIds }, communityId }).lean<TopicDoc[]>() : [];
      for (const a of body.agenda) {
        if (!a.topicId) continue;
        const t = topics.find((x) => x._id.toHexString() === a.topicId);
        if (!t) throw new AppError('NOT_FOUND', '没有找到列入的议题');
        if (t.status !== 'agenda') throw new AppError('CONFLICT', `议题《${t.title}》还没有列入议事会，请先在议题页“列入议事会”`);
      }
      const meeting = await Meeting.create({
        communityId,
        title: body.title,
        place: body.place,
        startsAt,
        endsAt: new Date(body.endsAt),
        status: 'scheduled',
        agenda: body.agenda.map((a) => ({ title: a.title, topicId: a.topicId ? new Types.ObjectId(a.topicId) : null })),
        expectedIds: members.map((m) => m.userId),
        createdBy: new Types.ObjectId(actor.id),
      });
      const meetingId = meeting._id.toHexString();
      const link = `/vote/meeting/index?id=${meetingId}`;
      for (const m of members) {
        await notifications.notify(m.userId.toHexString(), { kind: 'meeting', title: '议事会通知', body: `《${body.title}》${when(startsAt)}在${body.place}召开，请准时参加，到场后扫会场的签到码签到。`, link });
      }
      for (const t of topics) {
        await notifications.notify(t.authorId.toHexString(), { kind: 'meeting', title: '您的议题要在议事会上讨论了', body: `《${t.title}》列入了${when(startsAt)}的议事会，欢迎旁听。`, link });
      }
      return view(meeting.toObject() as MeetingDoc, actor, now);
    },

    async list(actor: Actor, filter: 'upcoming' | 'past' | undefined, now = new Date()): Promise<MeetingView[]> {
      // Someone not yet in a community has no council: an empty list, like the topics.
      if (!actor.communityId) return [];
      const communityId = new Types.ObjectId(actor.communityId);
      const query: Record<string, unknown> = { communityId };
      if (filter === 'upcoming') query.endsAt = { $gte: now };
      if (filter === 'past') query.endsAt = { $lt: now };
      const sort = filter === 'upcoming' ? { startsAt: 1 as const } : { startsAt: -1 as const };
      const meetings = await Meeting.find(query).sort(sort).limit(50).lean<MeetingDoc[]>();
      const ids = meetings.map((m) => m._id);
      // Two reads for the whole list rather than two per meeting.
      const [mine, decided] = await Promise.all([
        MeetingAttendance.find({ meetingId: { $in: ids }, userId: new Types.ObjectId(actor.id) }).lean<AttendanceDoc[]>(),
        Resolution.find({ meetingId: { $in: ids } }).select({ meetingId: 1 }).lean<Pick<ResolutionDoc, 'meetingId'>[]>(),
      ]);
      return Promise.all(
        meetings.map((m) =>
          view(m, actor, now, {
            signedInAt: mine.find((a) => a.meetingId.equals(m._id))?.at ?? null,
            resolutionCount: decided.filter((r) => r.meetingId.equals(m._id)).length,
          }),
        ),
      );
    },

    async get(actor: Actor, meetingId: string, now = new Date()): Promise<MeetingDetailView> {
      const meeting = await load(actor, meetingId);
      const [resolutions, mine] = await Promise.all([
        Resolution.find({ meetingId: meeting._id }).sort({ agendaIndex: 1 }).lean<ResolutionDoc[]>(),
        MeetingAttendance.findById(`${meetingId}|${actor.id}`).lean<AttendanceDoc>(),
      ]);
      const extras = { signedInAt: mine?.at ?? null, resolutionCount: resolutions.length };
      return { ...(await view(meeting, actor, now, extras)), resolutions: resolutions.map(resolutionView) };
    },

    async cancel(actor: Actor, meetingId: string, reason: string, now = new Date()): Promise<MeetingView> {
      const meeting = await load(actor, meetingId);
      if (meeting.startsAt <= now) throw new AppError('CONFLICT', '会议已经开始了，不能取消');
      const cancelled = await Meeting.findOneAndUpdate({ _id: meeting._id, status: 'scheduled' }, { $set: { status: 'cancelled', cancelReason: reason, signInCode: null } }, { returnDocument: 'after' }).lean<MeetingDoc>();
      if (!cancelled) throw new AppError('MEETING_CANCELLED');
      for (const id of cancelled.expectedIds) {
        await notifications.notify(id.toHexString(), { kind: 'meeting', title: '议事会取消了', body: `《${cancelled.title}》（原定${when(cancelled.startsAt)}）取消了。原因：${reason}`, link: `/vote/meeting/index?id=${meetingId}` });
      }
      return view(cancelled, actor, now);
    },

    /** A new poster code; the one before stops working at once (a photo of an old poster signs no one in). */
    async newCode(actor: Actor, meetingId: string, now = new Date()): Promise<SignInCodeView> {
      const meeting = await load(actor, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('MEETING_CANCELLED');
      if (meeting.endsAt <= now) throw new AppError('MEETING_SIGN_IN_CLOSED', '会议已经结束，不再需要签到码');
      const bytes = randomBytes(10);
      const code = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
      const doc = await MeetingCode.create({ _id: code, meetingId: meeting._id, expiresAt: meeting.endsAt, createdBy: new Types.ObjectId(actor.id) });
      await Meeting.updateOne({ _id: meeting._id }, { $set: { signInCode: code } });
      return codeView(doc.toObject() as MeetingCodeDoc);
    },

    async currentCode(actor: Actor, meetingId: string, now = new Date()): Promise<SignInCodeView | null> {
      const meeting = await load(actor, meetingId);
      if (!meeting.signInCode) return null;
      const code = await MeetingCode.findById(meeting.signInCode).lean<MeetingCodeDoc>();
      return code && code.expiresAt > now ? codeView(code) : null;
    },

    /** A member scans the poster: the code must be the meeting's current one, inside the sign-in window. */
    async signInByCode(actor: Actor, code: string, now = new Date()): Promise<MeetingView> {
      const row = await MeetingCode.findById(code).lean<MeetingCodeDoc>();
      const meeting = row ? await Meeting.findById(row.meetingId).lean<MeetingDoc>() : null;
      if (!row || !meeting || meeting.communityId.toHexString() !== actor.communityId) throw new AppError('MEETING_CODE_INVALID');
      if (meeting.status === 'cancelled') throw new AppError('MEETING_CANCELLED');
      if (!meeting.expectedIds.some((id) => id.toHexString() === actor.id)) throw new AppError('NOT_COUNCIL_MEMBER');
      // Signed in already: say so, whatever the poster now is (a second scan on the way out is harmless).
      const already = await MeetingAttendance.exists({ _id: `${meeting._id.toHexString()}|${actor.id}` });
      if (!already) {
        if (meeting.signInCode !== code) throw new AppError('MEETING_CODE_INVALID');
        if (!signInOpen(meeting, now)) throw new AppError('MEETING_SIGN_IN_CLOSED');
        await signIn(meeting, actor.id, 'scan', actor.id, now);
      }
      return view((await Meeting.findById(meeting._id).lean<MeetingDoc>())!, actor, now);
    },

    async attendance(actor: Actor, meetingId: string): Promise<AttendanceView[]> {
      const meeting = await load(actor, meetingId);
      const [rows, members] = await Promise.all([
        MeetingAttendance.find({ meetingId: meeting._id }).lean<AttendanceDoc[]>(),
        CouncilMember.find({ communityId: meeting.communityId }).lean<CouncilMemberDoc[]>(),
      ]);
      const byUser = new Map(rows.map((r) => [r.userId.toHexString(), r]));
      const memberOf = new Map(members.map((m) => [m.userId.toHexString(), m]));
      return meeting.expectedIds.map((id) => {
        const userId = id.toHexString();
        const row = byUser.get(userId);
        const m = memberOf.get(userId);
        return { userId, name: m?.name ?? '成员', title: m?.title ?? 'other', signedInAt: row ? toShanghaiIso(row.at) : null, method: row?.method ?? null };
      });
    },

    /** Staff sign in a member who came without a phone; the same window and the same one-row rule. */
    async deskSignIn(actor: Actor, meetingId: string, userId: string, now = new Date()): Promise<AttendanceView> {
      const meeting = await load(actor, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('MEETING_CANCELLED');
      if (!meeting.expectedIds.some((id) => id.toHexString() === userId)) throw new AppError('NOT_COUNCIL_MEMBER', '这位不是这次议事会的成员');
      const exists = await MeetingAttendance.exists({ _id: `${meetingId}|${userId}` });
      if (!exists && !signInOpen(meeting, now)) throw new AppError('MEETING_SIGN_IN_CLOSED');
      await signIn(meeting, userId, 'desk', actor.id, now);
      return (await this.attendance(actor, meetingId)).find((a) => a.userId === userId)!;
    },

    /** Every save is a new revision (all kept); two saving at once cannot both become the same revision. */
    async saveMinutes(actor: Actor, meetingId: string, text: string, now = new Date()): Promise<MeetingView> {
      const meeting = await load(actor, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('MEETING_CANCELLED');
      if (now < meeting.startsAt) throw new AppError('MEETING_NOT_STARTED');
      const revision = (meeting.minutes?.revision ?? 0) + 1;
      try {
        await MinutesRevision.create({ _id: `${meetingId}|${revision}`, meetingId: meeting._id, revision, text, byId: new Types.ObjectId(actor.id), byName: nameOf(actor) });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        throw new AppError('CONFLICT', '纪要刚被别人更新了，请刷新后再改');
      }
      const minutes = { text, byName: nameOf(actor), at: now, revision };
      const saved = await Meeting.findOneAndUpdate(
        { _id: meeting._id, $or: [{ minutes: null }, { 'minutes.revision': { $lt: revision } }] },
        { $set: { minutes } },
        { returnDocument: 'after' },
      ).lean<MeetingDoc>();
      return view(saved ?? (await Meeting.findById(meeting._id).lean<MeetingDoc>())!, actor, now);
    },

    /**
     * A decision on one agenda item, counted against the members present: it
     * needs the quorum, and passes with more than half of those present.
     */
    async resolve(actor: Actor, meetingId: string, body: ResolutionCreateBody, now = new Date()): Promise<ResolutionView> {
      const meeting = await load(actor, meetingId);
      if (meeting.status === 'cancelled') throw new AppError('MEETING_CANCELLED');
      if (now < meeting.startsAt) throw new AppError('MEETING_NOT_STARTED');
      const item = meeting.agenda[body.agendaIndex];
      if (!item) throw new AppError('VALIDATION_FAILED', '没有这一项议题', { fields: { agendaIndex: ['没有这一项议题'] } });
      const present = meeting.present;
      if (present < quorumOf(meeting.expectedIds.length)) throw new AppError('MEETING_NO_QUORUM', `到会${present}人，应到${meeting.expectedIds.length}人，没有过半数，不能形成决议`);
      if (body.yes + body.no + body.abstain > present) throw new AppError('RESOLUTION_COUNTS_INVALID', `赞成、反对、弃权加起来不能超过到会的${present}人`);
      const passed = body.yes * 2 > present;
      let created: ResolutionDoc;
      try {
        created = (
          await Resolution.create({
            meetingId: meeting._id,
            communityId: meeting.communityId,
            agendaIndex: body.agendaIndex,
            agendaTitle: item.title,
            topicId: item.topicId ?? null,
            text: body.text,
            yes: body.yes,
            no: body.no,
            abstain: body.abstain,
            present,
            passed,
            owner: body.owner,
            dueDate: body.dueDate,
            status: 'open',
            createdBy: new Types.ObjectId(actor.id),
          })
        ).toObject() as ResolutionDoc;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        throw new AppError('RESOLUTION_EXISTS');
      }
      if (item.topicId) {
        const topic = await Topic.findById(item.topicId).lean<TopicDoc>();
        if (topic) {
          await notifications.notify(topic.authorId.toHexString(), {
            kind: 'meeting',
            title: passed ? '您的议题在议事会上通过了' : '您的议题在议事会上没有通过',
            body: `《${topic.title}》：${body.text}（到会${present}人，赞成${body.yes}人）`,
            link: `/vote/meeting/index?id=${meetingId}`,
          });
        }
      }
      return resolutionView(created);
    },

    async followUp(actor: Actor, resolutionId: string, body: FollowUpBody, now = new Date()): Promise<ResolutionView> {
      const r = Types.ObjectId.isValid(resolutionId) ? await Resolution.findById(resolutionId).lean<ResolutionDoc>() : null;
      if (!r || r.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这项决议');
      if (!r.passed) throw new AppError('CONFLICT', '这项决议没有通过，不需要落实');
      const entry = { note: body.note, status: body.status, byId: new Types.ObjectId(actor.id), byName: nameOf(actor), at: now };
      const updated = await Resolution.findOneAndUpdate({ _id: r._id, status: { $ne: 'done' } }, { $push: { followUps: entry }, $set: { status: body.status } }, { returnDocument: 'after' }).lean<ResolutionDoc>();
      if (!updated) throw new AppError('RESOLUTION_DONE');
      return resolutionView(updated);
    },
  };
}
