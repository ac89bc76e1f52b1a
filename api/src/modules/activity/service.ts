import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import {
  ageLimitText,
  ageOn,
  birthDateOf,
  shanghaiDate,
  toShanghaiIso,
  type ActivityCreateBody,
  type ActivityView,
  type ActivityType,
  type HoursConfirmBody,
  type SignupStatus,
  type SignupView,
  type StaffActivityScope,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { AuthorityService } from '../authority/service.js';
import type { NotificationService } from '../notification/service.js';
import type { VolunteerProfiles } from './profile.js';
import { Binding, type BindingDoc } from '../space/models.js';
import { Activity, HoursEntry, PointsEntry, Poster, Seat, Signup, type ActivityDoc, type PosterDoc, type SignupDoc } from './models.js';

export type ActivityService = ReturnType<typeof createActivityService>;

const isOrganiser = (actor: Actor) => actor.roles.some((r) => r === 'community_staff' || r === 'admin');
const nameOf = (actor: Actor) => actor.profile.displayName ?? actor.profile.nickname;
const when = (at: Date) => toShanghaiIso(at).slice(5, 16).replace('T', ' ');
/** Poster ids: 10 characters, URL-safe, no look-alikes; also the mini-program code's scene. */
const POSTER_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const POSTER_HOURS = 24;

export function createActivityService(accounts: AccountService, notifications: NotificationService, authorities: AuthorityService, profiles: VolunteerProfiles) {
  async function load(actor: Actor, activityId: string): Promise<ActivityDoc> {
    const activity = await Activity.findById(activityId).lean<ActivityDoc>();
    if (!activity || activity.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个活动');
    return activity;
  }

  async function seatsLeft(activity: ActivityDoc): Promise<number> {
    return Math.max(0, activity.capacity - (await Seat.countDocuments({ activityId: activity._id })));
  }

  async function waitPosition(signup: SignupDoc): Promise<number | null> {
    if (signup.status !== 'waitlisted' || signup.waitSeq === null) return null;
    return (await Signup.countDocuments({ activityId: signup.activityId, status: 'waitlisted', waitSeq: { $lt: signup.waitSeq } })) + 1;
  }

  async function signupView(s: SignupDoc): Promise<SignupView> {
    return {
      id: s._id.toHexString(),
      activityId: s.activityId.toHexString(),
      activityTitle: s.activityTitle,
      residentId: s.residentId.toHexString(),
      residentName: s.residentName,
      status: s.status as SignupStatus,
      waitPosition: await waitPosition(s),
      checkInAt: s.checkInAt ? toShanghaiIso(s.checkInAt) : null,
      checkOutAt: s.checkOutAt ? toShanghaiIso(s.checkOutAt) : null,
      scannedMinutes: s.scannedMinutes ?? null,
      confirmedMinutes: s.confirmedMinutes ?? null,
      actedByName: s.actedByName ?? null,
    };
  }

  async function activeSignupOf(activityId: Types.ObjectId, residentId: string): Promise<SignupDoc | null> {
    return Signup.findOne({ activeKey: `${activityId.toHexString()}:${residentId}` }).lean<SignupDoc>();
  }

  async function view(activity: ActivityDoc, residentId: string | null): Promise<ActivityView> {
    const mine = residentId ? await activeSignupOf(activity._id, residentId) : null;
    return {
      id: activity._id.toHexString(),
      type: activity.type as ActivityType,
      title: activity.title,
      description: activity.description,
      place: activity.place,
      organiser: activity.organiser,
      startAt: toShanghaiIso(activity.startAt),
      endAt: toShanghaiIso(activity.endAt),
      signupOpensAt: toShanghaiIso(activity.signupOpensAt),
      signupClosesAt: toShanghaiIso(activity.signupClosesAt),
      capacity: activity.capacity,
      seatsLeft: await seatsLeft(activity),
      waiting: activity.waiting,
      cancelCutoffMinutes: activity.cancelCutoffMinutes,
      skills: activity.skills ?? [],
      minAge: activity.minAge ?? null,
      maxAge: activity.maxAge ?? null,
      pointsPerHour: activity.pointsPerHour,
      graceMinutes: activity.graceMinutes,
      status: activity.status,
      cancelledAt: activity.cancelledAt ? toShanghaiIso(activity.cancelledAt) : null,
      cancelReason: activity.cancelReason ?? null,
      mySignup: mine
        ? {
            id: mine._id.toHexString(),
            status: mine.status as SignupStatus,
            waitPosition: await waitPosition(mine),
            checkInAt: mine.checkInAt ? toShanghaiIso(mine.checkInAt) : null,
            checkOutAt: mine.checkOutAt ? toShanghaiIso(mine.checkOutAt) : null,
          }
        : null,
    };
  }

  /**
   * Takes a free place for a sign-up by inserting its seat document. The seats
   * already taken are read first so that normally one insert suffices; a race
   * lost on one number moves on to the next. Returns null when all are taken.
   */
  async function claimSeat(activity: ActivityDoc, signupId: Types.ObjectId): Promise<number | null> {
    const prefix = `${activity._id.toHexString()}:`;
    for (let round = 0; round < 3; round++) {
      const taken = new Set((await Seat.find({ activityId: activity._id }).select({ _id: 1 }).lean<{ _id: string }[]>()).map((s) => Number(s._id.slice(prefix.length))));
      const free = Array.from({ length: activity.capacity }, (_, i) => i + 1).filter((n) => !taken.has(n));
      if (free.length === 0) return null;
      // Start at a different free number per caller so racing callers rarely collide.
      const offset = signupId.getTimestamp().getTime() % free.length;
      for (let i = 0; i < free.length; i++) {
        const n = free[(i + offset) % free.length]!;
        try {
          await Seat.create({ _id: `${prefix}${n}`, activityId: activity._id, signupId });
          return n;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
    }
    return null;
  }

  /**
   * Fills free places from the waitlist, first in line first. The seat is taken
   * for the person before their sign-up is switched over by a guarded update;
   * if someone else promoted them meanwhile, the seat is given back.
   */
  async function promote(activity: ActivityDoc): Promise<void> {
    for (let guard = 0; guard < activity.capacity + 5; guard++) {
      const next = await Signup.findOne({ activityId: activity._id, status: 'waitlisted' }).sort({ waitSeq: 1 }).lean<SignupDoc>();
      if (!next) return;
      const seat = await claimSeat(activity, next._id);
      if (seat === null) return;
      const promoted = await Signup.findOneAndUpdate(
        { _id: next._id, status: 'waitlisted' },
        { $set: { status: 'confirmed', seatNo: seat, waitSeq: null } },
        { returnDocument: 'after' },
      ).lean<SignupDoc>();
      if (!promoted) {
        await Seat.deleteOne({ _id: `${activity._id.toHexString()}:${seat}`, signupId: next._id });
        continue;
      }
      await Activity.updateOne({ _id: activity._id }, { $inc: { waiting: -1 } });
      await notifications.notify(promoted.residentId.toHexString(), {
        kind: 'activity',
        title: '候补成功',
        body: `「${activity.title}」有名额了，已为您报上名，${when(activity.startAt)}在${activity.place}。`,
        link: `/volunteer/activity/index?id=${activity._id.toHexString()}`,
      });
    }
  }

  async function releaseSeat(activity: ActivityDoc, signup: SignupDoc): Promise<void> {
    if (signup.seatNo) await Seat.deleteOne({ _id: `${activity._id.toHexString()}:${signup.seatNo}`, signupId: signup._id });
    await promote(activity);
  }

  async function resolveResident(actor: Actor, forResidentId: string | undefined, now: Date): Promise<{ id: string; name: string; actedBy: Actor | null }> {
    if (!forResidentId || forResidentId === actor.id) return { id: actor.id, name: nameOf(actor), actedBy: null };
    if (!(await authorities.mayActFor(actor.id, forResidentId, 'signups', now))) throw new AppError('ACTING_NOT_ALLOWED');
    const resident = await accounts.getUser(forResidentId);
    return { id: forResidentId, name: resident.displayName ?? resident.nickname, actedBy: actor };
  }

  function minutesBetween(a: Date, b: Date): number {
    return Math.max(0, Math.floor((b.getTime() - a.getTime()) / 60_000));
  }

  /**
   * An activity with age limits takes only people whose age on its day is known
   * and inside them. The one birth date the system holds is the ID number in the
   * volunteer profile (GB 11643 digits 7–14); without it the sign-up is refused
   * with what to do, rather than let in someone who may not be allowed.
   */
  async function checkAge(activity: ActivityDoc, residentId: string, forSomeoneElse: boolean): Promise<void> {
    const minAge = activity.minAge ?? null;
    const maxAge = activity.maxAge ?? null;
    if (minAge === null && maxAge === null) return;
    const limit = ageLimitText(minAge, maxAge)!;
    const birth = birthDateOf(await profiles.idNumberOf(residentId));
    if (!birth) {
      throw new AppError(
        'AGE_UNKNOWN',
        forSomeoneElse
          ? `这个活动要求年龄${limit}。请这位家人先在“志愿者资料”里填写身份证号（只用来核对年龄和开具证明），或联系组织方报名`
          : `这个活动要求年龄${limit}。请先在“志愿者资料”里填写身份证号（只用来核对年龄和开具证明），再来报名`,
        { minAge, maxAge },
      );
    }
    const age = ageOn(birth, shanghaiDate(activity.startAt));
    if ((minAge !== null && age < minAge) || (maxAge !== null && age > maxAge)) {
      throw new AppError('AGE_NOT_ALLOWED', `这个活动要求年龄${limit}，${forSomeoneElse ? '这位家人' : '您'}活动当天${age}岁，不能报名。可以看看别的活动`, { minAge, maxAge });
    }
  }

  async function ledgerOnce(model: typeof HoursEntry, doc: Record<string, unknown>): Promise<void> {
    try {
      await model.create(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  return {
    load,

    async create(actor: Actor, body: ActivityCreateBody): Promise<ActivityView> {
      const activity = await Activity.create({
        ...body,
        communityId: new Types.ObjectId(actor.communityId!),
        createdBy: new Types.ObjectId(actor.id),
        startAt: new Date(body.startAt),
        endAt: new Date(body.endAt),
        signupOpensAt: new Date(body.signupOpensAt),
        signupClosesAt: new Date(body.signupClosesAt),
      });
      return view(activity.toObject() as ActivityDoc, null);
    },

    /**
     * Edits an activity; a new time is told to everyone signed up. Capacity can
     * grow (the line moves up) but not shrink below the places already taken.
     */
    async update(actor: Actor, activityId: string, body: ActivityCreateBody, now = new Date()): Promise<ActivityView> {
      const before = await load(actor, activityId);
      if (before.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
      const taken = await Seat.countDocuments({ activityId: before._id });
      if (body.capacity < taken) throw new AppError('VALIDATION_FAILED', `已有${taken}人报名，人数不能少于${taken}`, { fields: { capacity: [`不能少于${taken}`] } });
      const updated = (await Activity.findOneAndUpdate(
        { _id: before._id },
        { $set: { ...body, startAt: new Date(body.startAt), endAt: new Date(body.endAt), signupOpensAt: new Date(body.signupOpensAt), signupClosesAt: new Date(body.signupClosesAt) } },
        { returnDocument: 'after' },
      ).lean<ActivityDoc>())!;
      if (updated.capacity > before.capacity) await promote(updated);
      const moved = updated.startAt.getTime() !== before.startAt.getTime() || updated.endAt.getTime() !== before.endAt.getTime() || updated.place !== before.place;
      if (moved) {
        const signups = await Signup.find({ activityId: updated._id, status: { $in: ['confirmed', 'waitlisted'] } }).lean<SignupDoc[]>();
        for (const s of signups) {
          await notifications.notify(s.residentId.toHexString(), {
            kind: 'activity',
            title: '活动时间或地点有变化',
            body: `「${updated.title}」改为${when(updated.startAt)}开始，地点：${updated.place}。不能参加的话请取消报名。`,
            link: `/volunteer/activity/index?id=${activityId}`,
          });
        }
      }
      return view(updated, null);
    },

    async list(actor: Actor, type: ActivityType | undefined, scope: 'upcoming' | 'past', now = new Date()): Promise<ActivityView[]> {
      if (!actor.communityId) return [];
      const filter: Record<string, unknown> = { communityId: new Types.ObjectId(actor.communityId), status: 'published' };
      if (type) filter.type = type;
      filter.endAt = scope === 'upcoming' ? { $gte: now } : { $lt: now };
      const docs = await Activity.find(filter).sort({ startAt: scope === 'upcoming' ? 1 : -1 }).limit(100).lean<ActivityDoc[]>();
      return Promise.all(docs.map((a) => view(a, actor.id)));
    },

    /** Organisers: what is coming, what has ended (both published), or what was cancelled (newest first, with the reason). */
    async staffList(actor: Actor, type: ActivityType | undefined, scope: StaffActivityScope, now = new Date()): Promise<ActivityView[]> {
      if (!actor.communityId) return [];
      const filter: Record<string, unknown> = { communityId: new Types.ObjectId(actor.communityId), status: scope === 'cancelled' ? 'cancelled' : 'published' };
      if (type) filter.type = type;
      if (scope !== 'cancelled') filter.endAt = scope === 'upcoming' ? { $gte: now } : { $lt: now };
      const docs = await Activity.find(filter).sort({ startAt: scope === 'upcoming' ? 1 : -1 }).limit(100).lean<ActivityDoc[]>();
      return Promise.all(docs.map((a) => view(a, null)));
    },

    async get(actor: Actor, activityId: string, forResidentId?: string, now = new Date()): Promise<ActivityView> {
      const activity = await load(actor, activityId);
      const resident = await resolveResident(actor, forResidentId, now);
      return view(activity, resident.id);
    },

    /** One live sign-up per person per activity (unique activeKey); a place or a ticket in line. */
    async signUp(actor: Actor, activityId: string, forResidentId: string | undefined, now = new Date()): Promise<SignupView> {
      const activity = await load(actor, activityId);
      if (activity.status === 'cancelled') throw new AppError('ACTIVITY_CANCELLED');
      if (now < activity.signupOpensAt) throw new AppError('SIGNUP_CLOSED', `报名${when(activity.signupOpensAt)}开始`);
      if (now >= activity.signupClosesAt) throw new AppError('SIGNUP_CLOSED', '报名已经截止了');
      const resident = await resolveResident(actor, forResidentId, now);
      await checkAge(activity, resident.id, resident.actedBy !== null);
      const bindings = await Binding.find({ userId: new Types.ObjectId(resident.id), status: 'approved' }).lean<BindingDoc[]>();
      if (bindings.length === 0) throw new AppError('FORBIDDEN', '绑定房屋后才能报名社区活动');
      const signupId = new Types.ObjectId();
      try {
        await Signup.create({
          _id: signupId,
          activityId: activity._id,
          communityId: activity.communityId,
          residentId: new Types.ObjectId(resident.id),
          residentName: bindings[0]!.realName,
          gridIds: [...new Set(bindings.map((b) => b.gridId.toHexString()))].map((id) => new Types.ObjectId(id)),
          activityTitle: activity.title,
          status: 'waitlisted',
          activeKey: `${activity._id.toHexString()}:${resident.id}`,
          actedBy: resident.actedBy ? new Types.ObjectId(resident.actedBy.id) : null,
          actedByName: resident.actedBy ? nameOf(resident.actedBy) : null,
        });
      } catch (error) {
        if (isDuplicateKey(error)) throw new AppError('ALREADY_SIGNED_UP', resident.actedBy ? '这位家人已经报名了这个活动' : undefined);
        throw error;
      }
      // Someone already in line goes first: a newcomer takes a free place only when nobody waits.
      const seat = activity.waiting > 0 ? null : await claimSeat(activity, signupId);
      let signup: SignupDoc;
      if (seat !== null) {
        signup = (await Signup.findOneAndUpdate({ _id: signupId }, { $set: { status: 'confirmed', seatNo: seat } }, { returnDocument: 'after' }).lean<SignupDoc>())!;
      } else {
        const ticket = (await Activity.findOneAndUpdate({ _id: activity._id }, { $inc: { waitSeq: 1, waiting: 1 } }, { returnDocument: 'after' }).lean<ActivityDoc>())!;
        signup = (await Signup.findOneAndUpdate({ _id: signupId }, { $set: { waitSeq: ticket.waitSeq } }, { returnDocument: 'after' }).lean<SignupDoc>())!;
        // A place may have been freed between the full house and the ticket.
        await promote(ticket);
        signup = (await Signup.findById(signupId).lean<SignupDoc>())!;
      }
      if (resident.actedBy) {
        await notifications.notify(resident.id, {
          kind: 'activity',
          title: '家人为您报名了活动',
          body: `${nameOf(resident.actedBy)}按您的授权，为您报名了「${activity.title}」（${when(activity.startAt)}，${activity.place}）。`,
          link: `/volunteer/activity/index?id=${activityId}`,
        });
      }
      return signupView(signup);
    },

    async cancelSignup(actor: Actor, signupId: string, now = new Date()): Promise<SignupView> {
      const signup = await Signup.findById(signupId).lean<SignupDoc>();
      const mine = signup && (signup.residentId.toHexString() === actor.id || (await authorities.mayActFor(actor.id, signup.residentId.toHexString(), 'signups', now)));
      if (!signup || !mine) throw new AppError('NOT_FOUND', '没有找到这个报名');
      const activity = (await Activity.findById(signup.activityId).lean<ActivityDoc>())!;
      if (signup.status === 'confirmed' && now > new Date(activity.startAt.getTime() - activity.cancelCutoffMinutes * 60_000)) throw new AppError('CANCEL_TOO_LATE');
      const cancelled = await Signup.findOneAndUpdate(
        { _id: signup._id, status: { $in: ['confirmed', 'waitlisted'] } },
        { $set: { status: 'cancelled', activeKey: `closed:${signupId}`, waitSeq: null } },
        { returnDocument: 'after' },
      ).lean<SignupDoc>();
      if (!cancelled) throw new AppError('SIGNUP_NOT_CHANGEABLE');
      if (signup.status === 'waitlisted') await Activity.updateOne({ _id: activity._id }, { $inc: { waiting: -1 } });
      else await releaseSeat(activity, signup);
      return signupView(cancelled);
    },

    /** A new poster retires the previous one: a photo of an old poster no longer checks anyone in. */
    async newPoster(actor: Actor, activityId: string, now = new Date()): Promise<{ posterId: string; expiresAt: string; page: string }> {
      const activity = await load(actor, activityId);
      const bytes = randomBytes(10);
      const posterId = [...bytes].map((b) => POSTER_ALPHABET[b % POSTER_ALPHABET.length]).join('');
      const expiresAt = new Date(Math.max(now.getTime(), activity.endAt.getTime()) + POSTER_HOURS * 3600_000);
      await Poster.create({ _id: posterId, activityId: activity._id, expiresAt, createdBy: new Types.ObjectId(actor.id) });
      await Activity.updateOne({ _id: activity._id }, { $set: { posterId } });
      return { posterId, expiresAt: toShanghaiIso(expiresAt), page: `volunteer/scan/index?p=${posterId}` };
    },

    /** The poster in force, to show or print again without retiring it; null when there is none or it has expired. */
    async currentPoster(actor: Actor, activityId: string, now = new Date()): Promise<{ posterId: string; expiresAt: string; page: string } | null> {
      const activity = await load(actor, activityId);
      if (!activity.posterId) return null;
      const poster = await Poster.findById(activity.posterId).lean<PosterDoc>();
      if (!poster || poster.expiresAt <= now) return null;
      return { posterId: poster._id, expiresAt: toShanghaiIso(poster.expiresAt), page: `volunteer/scan/index?p=${poster._id}` };
    },

    /**
     * A scan on site: the poster must be the activity's current one and not
     * expired, the time inside the activity's window (with its grace), and the
     * scanner signed up. Check-in then check-out, each a guarded state change.
     */
    async scan(actor: Actor, activityId: string, posterId: string, direction: 'in' | 'out', now = new Date()): Promise<SignupView> {
      const activity = await load(actor, activityId);
      const poster = await Poster.findById(posterId).lean<PosterDoc>();
      if (!poster || poster.activityId.toHexString() !== activityId) throw new AppError('POSTER_EXPIRED', '这不是本活动的签到码');
      if (activity.posterId !== posterId || poster.expiresAt <= now) throw new AppError('POSTER_EXPIRED');
      const grace = activity.graceMinutes * 60_000;
      if (now.getTime() < activity.startAt.getTime() - grace || now.getTime() > activity.endAt.getTime() + grace) {
        throw new AppError('SCAN_OUTSIDE_WINDOW', `签到时间是${when(new Date(activity.startAt.getTime() - grace))}到${when(new Date(activity.endAt.getTime() + grace))}`);
      }
      const signup = await activeSignupOf(activity._id, actor.id);
      if (!signup || signup.status === 'waitlisted') throw new AppError('NOT_SIGNED_UP', signup ? '您还在候补中，没有报上名，不能签到' : undefined);
      /** Why a scan changed nothing, from the sign-up as it is now (a racing scan may have moved it on). */
      const refusal = async (): Promise<AppError> => {
        const current = (await Signup.findById(signup._id).lean<SignupDoc>()) ?? signup;
        if (current.status === 'checked_out') {
          const out = current.checkOutAt ?? now;
          const day = toShanghaiIso(out);
          return new AppError(
            'ALREADY_CHECKED_OUT',
            `您已经在${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日 ${day.slice(11, 16)}签退过了，这次活动不用再扫码。时长等组织方确认后会记到您的名下。`,
            { checkOutAt: day },
          );
        }
        if (current.status === 'checked_in' && direction === 'in') return new AppError('SIGNUP_NOT_CHANGEABLE', '您已经签到了，活动结束时再扫一次签退');
        if (current.status === 'confirmed' && direction === 'out') return new AppError('SIGNUP_NOT_CHANGEABLE', '请先签到');
        return new AppError('SIGNUP_NOT_CHANGEABLE', '这个报名现在不能签到');
      };
      if (signup.status === 'checked_out') throw await refusal();
      if (direction === 'in') {
        const done = await Signup.findOneAndUpdate({ _id: signup._id, status: 'confirmed' }, { $set: { status: 'checked_in', checkInAt: now } }, { returnDocument: 'after' }).lean<SignupDoc>();
        if (!done) throw await refusal();
        return signupView(done);
      }
      // Hours run from check-in to check-out, within the activity's own start and end.
      const from = new Date(Math.max(signup.checkInAt?.getTime() ?? now.getTime(), activity.startAt.getTime()));
      const to = new Date(Math.min(now.getTime(), activity.endAt.getTime()));
      const minutes = Math.min(minutesBetween(from, to), minutesBetween(activity.startAt, activity.endAt));
      const done = await Signup.findOneAndUpdate(
        { _id: signup._id, status: 'checked_in' },
        { $set: { status: 'checked_out', checkOutAt: now, scannedMinutes: minutes } },
        { returnDocument: 'after' },
      ).lean<SignupDoc>();
      if (!done) throw await refusal();
      return signupView(done);
    },

    /** The scan page knows only the poster: the first scan checks in, the next checks out. */
    async scanPoster(actor: Actor, posterId: string, now = new Date()): Promise<SignupView & { direction: 'in' | 'out' }> {
      const poster = await Poster.findById(posterId).lean<PosterDoc>();
      if (!poster) throw new AppError('POSTER_EXPIRED', '这不是社区活动的签到码');
      const activityId = poster.activityId.toHexString();
      const mine = await activeSignupOf(poster.activityId, actor.id);
      const direction = mine?.status === 'checked_in' ? 'out' : 'in';
      return { ...(await this.scan(actor, activityId, posterId, direction, now)), direction };
    },

    async cancelActivity(actor: Actor, activityId: string, reason: string, now = new Date()): Promise<ActivityView> {
      const activity = await load(actor, activityId);
      const cancelled = await Activity.findOneAndUpdate(
        { _id: activity._id, status: 'published' },
        { $set: { status: 'cancelled', cancelledAt: now, cancelReason: reason } },
        { returnDocument: 'after' },
      ).lean<ActivityDoc>();
      if (!cancelled) throw new AppError('ACTIVITY_CANCELLED', '这个活动已经取消了');
      const signups = await Signup.find({ activityId: activity._id, status: { $in: ['confirmed', 'waitlisted'] } }).lean<SignupDoc[]>();
      for (const s of signups) {
        await notifications.notify(s.residentId.toHexString(), { kind: 'activity', title: '活动取消了', body: `「${activity.title}」（${when(activity.startAt)}）取消了：${reason}`, link: `/volunteer/activity/index?id=${activityId}` });
      }
      return view(cancelled, null);
    },

    /** The roster and hours as .xlsx for the organiser's records. */
    async exportRoster(actor: Actor, activityId: string): Promise<{ data: Buffer; title: string }> {
      const activity = await load(actor, activityId);
      const signups = await Signup.find({ activityId: activity._id }).sort({ _id: 1 }).lean<SignupDoc[]>();
      const { default: ExcelJS } = await import('exceljs');
      const book = new ExcelJS.Workbook();
      book.creator = '社区服务小程序';
      const sheet = book.addWorksheet('报名与时长');
      sheet.columns = [
        { header: '姓名', key: 'name', width: 12 },
        { header: '状态', key: 'status', width: 10 },
        { header: '签到', key: 'in', width: 18 },
        { header: '签退', key: 'out', width: 18 },
        { header: '扫码时长（小时）', key: 'scanned', width: 16 },
        { header: '确认时长（小时）', key: 'confirmed', width: 16 },
        { header: '代为报名', key: 'actedBy', width: 12 },
      ];
      const labels: Record<string, string> = { confirmed: '已报名', waitlisted: '候补中', cancelled: '已取消', checked_in: '已签到', checked_out: '已签退', no_show: '未到场', expired: '候补未成功' };
      const hours = (m: number | null | undefined) => (m === null || m === undefined ? '' : Number((m / 60).toFixed(2)));
      const at = (d: Date | null | undefined) => (d ? toShanghaiIso(d).slice(0, 16).replace('T', ' ') : '');
      for (const s of signups) {
        sheet.addRow({ name: s.residentName, status: labels[s.status] ?? s.status, in: at(s.checkInAt), out: at(s.checkOutAt), scanned: hours(s.scannedMinutes), confirmed: hours(s.confirmedMinutes), actedBy: s.actedByName ?? '' });
      }
      sheet.getRow(1).font = { bold: true };
      return { data: Buffer.from(await book.xlsx.writeBuffer()), title: activity.title };
    },

    async attendance(actor: Actor, activityId: string): Promise<SignupView[]> {
      const activity = await load(actor, activityId);
      const signups = await Signup.find({ activityId: activity._id, status: { $ne: 'cancelled' } }).sort({ _id: 1 }).lean<SignupDoc[]>();
      return Promise.all(signups.map(signupView));
    },

    /**
     * The organiser confirms hours: the scanned minutes as they are, or adjusted
     * with a reason. Each confirmation is one ledger entry per sign-up (its id is
     * fixed, so a repeat changes nothing); a later change is a further entry.
     */
    async confirmHours(actor: Actor, activityId: string, body: HoursConfirmBody, now = new Date()): Promise<SignupView[]> {
      const activity = await load(actor, activityId);
      // Every item is checked before any is written: one bad line must not leave the lines before it confirmed.
      const checked: { item: HoursConfirmBody['items'][number]; signup: SignupDoc }[] = [];
      for (const item of body.items) {
        const signup = await Signup.findOne({ _id: item.signupId, activityId: activity._id }).lean<SignupDoc>();
        if (!signup) throw new AppError('NOT_FOUND', '名单里没有这个报名');
        // Hours become points and a certificate: an organiser does not confirm their own.
        if (signup.residentId.toHexString() === actor.id) throw new AppError('FORBIDDEN', '不能确认自己的志愿时长，请另一位工作人员确认');
        if (signup.status !== 'checked_out' && !(signup.status === 'checked_in' && item.minutes !== undefined)) {
          throw new AppError('SIGNUP_NOT_CHANGEABLE', `${signup.residentName}还没有签退，请写明时长和原因后确认`);
        }
        checked.push({ item, signup });
      }
      const out: SignupView[] = [];
      for (const { item, signup } of checked) {
        const cap = minutesBetween(activity.startAt, activity.endAt);
        const minutes = Math.min(item.minutes ?? signup.scannedMinutes ?? 0, cap);
        const previous = signup.confirmedMinutes ?? 0;
        const delta = minutes - previous;
        const reason = item.reason ?? '按签到签退时间确认';
        const base = {
          communityId: activity.communityId,
          userId: signup.residentId,
          gridIds: signup.gridIds,
          byId: new Types.ObjectId(actor.id),
          byName: nameOf(actor),
          activityId: activity._id,
          activityTitle: activity.title,
          at: now,
        };
        // Guarded on the previous figure: two organisers confirming at once write one entry.
        const changed = await Signup.findOneAndUpdate(
          { _id: signup._id, confirmedMinutes: signup.confirmedMinutes ?? null },
          { $set: { confirmedMinutes: minutes, ...(signup.status === 'checked_in' ? { status: 'checked_out' } : {}) } },
          { returnDocument: 'after' },
        ).lean<SignupDoc>();
        if (!changed) throw new AppError('CONFLICT', '时长刚被别人确认过，请刷新后再看');
        if (delta !== 0) {
          const entryKey = `${signup._id.toHexString()}:${previous}->${minutes}`;
          await ledgerOnce(HoursEntry, { _id: `h:${entryKey}`, ...base, amount: delta, reason });
          const points = Math.round((minutes * activity.pointsPerHour) / 60) - Math.round((previous * activity.pointsPerHour) / 60);
          if (points !== 0) await ledgerOnce(PointsEntry, { _id: `p:${entryKey}`, ...base, amount: points, reason: `志愿服务时长${reason === '按签到签退时间确认' ? '' : `（${reason}）`}` });
          await notifications.notify(signup.residentId.toHexString(), {
            kind: 'activity',
            title: '志愿时长已确认',
            body: `「${activity.title}」确认时长${(minutes / 60).toFixed(1)}小时${item.reason ? `（${item.reason}）` : ''}。`,
            link: '/volunteer/me/index',
          });
        }
        out.push(await signupView(changed));
      }
      return out;
    },

    /** After the end: whoever held a place and never checked in did not come. */
    async markNoShows(actor: Actor, activityId: string, now = new Date()): Promise<{ marked: number }> {
      const activity = await load(actor, activityId);
      if (now < activity.endAt) throw new AppError('SIGNUP_NOT_CHANGEABLE', '活动结束后才能标记未到场');
      const absent = await Signup.find({ activityId: activity._id, status: 'confirmed' }).lean<SignupDoc[]>();
      let marked = 0;
      for (const s of absent) {
        const r = await Signup.updateOne({ _id: s._id, status: 'confirmed' }, { $set: { status: 'no_show' } });
        marked += r.modifiedCount;
      }
      const line = await Signup.find({ activityId: activity._id, status: 'waitlisted' }).lean<SignupDoc[]>();
      for (const s of line) await Signup.updateOne({ _id: s._id, status: 'waitlisted' }, { $set: { status: 'expired', activeKey: `closed:${s._id.toHexString()}` } });
      return { marked };
    },

    async mySignups(actor: Actor): Promise<SignupView[]> {
      const docs = await Signup.find({ residentId: new Types.ObjectId(actor.id) }).sort({ _id: -1 }).limit(100).lean<SignupDoc[]>();
      return Promise.all(docs.map(signupView));
    },

    isOrganiser,
    signupView,
  };
}
