import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import {
  addDays,
  shanghaiDate,
  toShanghaiIso,
  type BookingStatus,
  type BookingView,
  type RatingBody,
  type ServiceCreateBody,
  type ServiceUpdateBody,
  type ServiceView,
  type SlotView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { AccountService } from '../account/service.js';
import type { AuthorityService } from '../authority/service.js';
import type { NotificationService } from '../notification/service.js';
import { Booking, BookingQuota, FollowUp, Service, Slot, type BookingDoc, type ServiceDoc, type SlotDoc } from './models.js';
import { createMatterService, matterSummary } from './matters.js';
import { rollSlots } from './slots.js';

/** Check-in codes avoid look-alike characters (0/O, 1/I/L) for people reading them aloud. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const centreRoles = ['community_staff', 'admin'] as const;

export type BookingService = ReturnType<typeof createBookingService>;

function nameOf(actor: Actor): string {
  return actor.profile.displayName ?? actor.profile.nickname;
}

function isCentreStaff(actor: Actor): boolean {
  return actor.roles.some((r) => (centreRoles as readonly string[]).includes(r));
}

export interface BookingTemplates {
  bookingResult: string;
  bookingReminder: string;
}

const when = (at: Date) => toShanghaiIso(at).slice(5, 16).replace('T', ' ');

/** The reminder goes a day ahead, or two hours ahead when the booking was made later than that. */
export function reminderDue(startAt: Date, bookedAt: Date): Date | null {
  const dayBefore = new Date(startAt.getTime() - 24 * 3600_000);
  if (bookedAt < dayBefore) return dayBefore;
  const twoHoursBefore = new Date(startAt.getTime() - 2 * 3600_000);
  return bookedAt < twoHoursBefore ? twoHoursBefore : null;
}

export function createBookingService(
  accounts: AccountService,
  notifications: NotificationService,
  authorities: AuthorityService,
  templates: BookingTemplates,
  /** The community a person is choosing in (theirs, or the deployment's first before their room is approved). */
  communityFor: (actor: Actor) => Promise<Types.ObjectId>,
) {
  /** The booking-result subscribe message: service, time, status (≤ 5 汉字), a note. */
  const resultMessage = (b: Pick<BookingDoc, 'serviceName' | 'startAt'>, phrase: string, note: string) => ({
    templateId: templates.bookingResult,
    data: { thing1: b.serviceName, time2: toShanghaiIso(b.startAt).slice(0, 16).replace('T', ' '), phrase3: phrase, thing4: note },
  });

  const matters = createMatterService(accounts, notifications);

  async function activeService(serviceId: Types.ObjectId | string): Promise<ServiceDoc> {
    const service = await Service.findById(serviceId).lean<ServiceDoc>();
    if (!service) throw new AppError('NOT_FOUND', '没有找到这个服务事项');
    return service;
  }

  /** A service of the community this person is choosing in; another community's does not exist for them. */
  async function serviceSeenBy(actor: Actor, serviceId: string): Promise<ServiceDoc> {
    const service = await Service.findOne({ _id: serviceId, communityId: await communityFor(actor) }).lean<ServiceDoc>();
    if (!service) throw new AppError('NOT_FOUND', '没有找到这个服务事项');
    return service;
  }

  /**
   * A resident sees their own bookings; someone they authorised for bookings sees
   * them too; centre staff see their community's. Anyone else gets 404, not 403:
   * another person's booking does not exist as far as they can tell.
   */
  async function visibleBooking(actor: Actor, bookingId: string, now = new Date()): Promise<BookingDoc> {
    const booking = await Booking.findById(bookingId).lean<BookingDoc>();
    if (!booking) throw new AppError('NOT_FOUND', '没有找到这个预约');
    const residentId = booking.residentId.toHexString();
    if (residentId === actor.id) return booking;
    if (isCentreStaff(actor) && booking.communityId.toHexString() === actor.communityId) return booking;
    if (await authorities.mayActFor(actor.id, residentId, 'bookings', now)) return booking;
    throw new AppError('NOT_FOUND', '没有找到这个预约');
  }

  async function claimQuota(service: ServiceDoc, residentId: string, bookingId: Types.ObjectId): Promise<void> {
    for (let k = 1; k <= service.maxActivePerResident; k++) {
      try {
        await BookingQuota.create({ _id: `${service._id.toHexString()}:${residentId}:${k}`, bookingId });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new AppError(
      'BOOKING_LIMIT_REACHED',
      service.maxActivePerResident === 1
        ? '您在这个事项已有一个预约，办完或取消后才能再约'
        : `您在这个事项已有${service.maxActivePerResident}个预约，办完或取消后才能再约`,
    );
  }

  async function releaseQuota(bookingId: Types.ObjectId): Promise<void> {
    await BookingQuota.deleteOne({ bookingId });
  }

  /**
   * Gives free seats to the people in line, first come first served, one seat
   * and one person per step, each step a guarded single-document update: two
   * cancellations racing each free one seat and each seat goes to one person.
   */
  async function promoteWaiting(slotId: Types.ObjectId, now: Date): Promise<void> {
    for (;;) {
      const seat = await Slot.updateOne({ _id: slotId, seatsLeft: { $gt: 0 }, waiting: { $gt: 0 } }, { $inc: { seatsLeft: -1, waiting: -1 } });
      if (seat.modifiedCount !== 1) return;
      const promoted = await Booking.findOneAndUpdate(
        { slotId, status: 'waitlisted' },
        {
          $set: { status: 'confirmed', waitSeq: null },
          $push: { history: { at: now, status: 'confirmed', note: '候补成功，已为您保留名额', byName: null } },
        },
        { sort: { waitSeq: 1 }, returnDocument: 'after' },
      ).lean<BookingDoc>();
      if (!promoted) {
        // The one counted in line has not written its booking yet; it will call us itself.
        await Slot.updateOne({ _id: slotId }, { $inc: { seatsLeft: 1, waiting: 1 } });
        return;
      }
      await Booking.updateOne({ _id: promoted._id }, { $set: { reminderDueAt: reminderDue(promoted.startAt, now) } });
      await notifications.notify(promoted.residentId.toHexString(), {
        kind: 'booking',
        title: '候补成功',
        body: `${promoted.serviceName} ${when(promoted.startAt)} 有名额了，已为您预约。`,
        link: `/booking/detail/index?id=${promoted._id.toHexString()}`,
        subscribe: resultMessage(promoted, '候补成功', '名额已为您保留，请按时到场'),
      });
    }
  }

  /** Gives a confirmed booking's seat back to the slot (and so to the first in line). */
  async function releaseSeat(slotId: Types.ObjectId, now: Date): Promise<void> {
    await Slot.updateOne({ _id: slotId }, { $inc: { seatsLeft: 1 } });
    await promoteWaiting(slotId, now);
  }

  /** Whom a booking is for: oneself, or (代约) a resident who authorised the actor, or anyone of the community for centre staff. */
  /**
   * A capacity change reaches the future slots: each slot's seatsLeft moves by
   * the difference in one guarded update. A slot with more confirmed bookings
   * than the new capacity keeps what it has (nobody loses a confirmed seat);
   * a larger capacity promotes people from the waitlist.
   */
  async function resizeFutureSlots(service: ServiceDoc, now: Date): Promise<void> {
    const slots = await Slot.find({ serviceId: service._id, startAt: { $gt: now } }).select({ capacity: 1 }).lean<SlotDoc[]>();
    for (const slot of slots) {
      const delta = service.capacity - slot.capacity;
      if (delta === 0) continue;
      const guard = delta < 0 ? { seatsLeft: { $gte: -delta } } : {};
      const resized = await Slot.updateOne({ _id: slot._id, capacity: slot.capacity, ...guard }, { $inc: { seatsLeft: delta }, $set: { capacity: service.capacity } });
      if (resized.modifiedCount === 1 && delta > 0) await promoteWaiting(slot._id, now);
    }
  }

  async function resolveResident(actor: Actor, forResidentId: string | undefined, now: Date): Promise<{ id: string; actedBy: Actor | null }> {
    if (!forResidentId || forResidentId === actor.id) return { id: actor.id, actedBy: null };
    const resident = await accounts.getUser(forResidentId).catch(() => null);
    if (!resident) throw new AppError('NOT_FOUND', '没有找到这位居民');
    if (isCentreStaff(actor) && resident.communityId === actor.communityId) return { id: forResidentId, actedBy: actor };
    if (await authorities.mayActFor(actor.id, forResidentId, 'bookings', now)) return { id: forResidentId, actedBy: actor };
    throw new AppError('ACTING_NOT_ALLOWED');
  }

  function changeDeadline(service: Pick<ServiceDoc, 'cutoffMinutes'>, startAt: Date): Date {
    return new Date(startAt.getTime() - service.cutoffMinutes * 60_000);
  }

  interface BookOptions {
    /** Rescheduling moves the existing quota ticket instead of claiming one. */
    bookingId?: Types.ObjectId;
    skipQuota?: boolean;
    /** Rescheduling never joins a waitlist: a full slot is refused. */
    requireSeat?: boolean;
    codeRetried?: boolean;
  }

  async function book(actor: Actor, slotId: string, forResidentId: string | undefined, now: Date, options: BookOptions = {}): Promise<BookingDoc> {
    // Only a slot of the community this person is choosing in: checked before any seat or quota is taken.
    const slot = await Slot.findOne({ _id: slotId, communityId: await communityFor(actor) }).lean<SlotDoc>();
    if (!slot) throw new AppError('NOT_FOUND', '没有找到这个时段');
    const service = await activeService(slot.serviceId);
    if (service.status !== 'active') throw new AppError('SERVICE_RETIRED');
    if (slot.startAt <= now) throw new AppError('SLOT_PAST');
    if (slot.date > addDays(shanghaiDate(now), service.bookingWindowDays)) {
      throw new AppError('SLOT_OUTSIDE_WINDOW', `只能预约${service.bookingWindowDays}天以内的时段`);
    }
    const resident = await resolveResident(actor, forResidentId, now);
    // No "already booked?" read first: the unique activeKey refuses the second
    // booking on insert, and what this attempt took is given back below.

    const bookingId = options.bookingId ?? new Types.ObjectId();
    if (!options.skipQuota) await claimQuota(service, resident.id, bookingId);
    let status: BookingStatus = 'confirmed';
    let waitSeq: number | null = null;
    let tookSeat = false;
    try {
      const seat = await Slot.updateOne({ _id: slot._id, seatsLeft: { $gt: 0 } }, { $inc: { seatsLeft: -1 } });
      tookSeat = seat.modifiedCount === 1;
      if (!tookSeat && options.requireSeat) throw new AppError('SLOT_FULL', '新时段已约满，请选择其他时间');
      if (!tookSeat) {
        const ticket = await Slot.findOneAndUpdate({ _id: slot._id }, { $inc: { waitSeq: 1, waiting: 1 } }, { returnDocument: 'after' }).lean<SlotDoc>();
        status = 'waitlisted';
        waitSeq = ticket!.waitSeq;
      }
      const byName = resident.actedBy ? `${nameOf(resident.actedBy)}（代约）` : null;
      const created = await Booking.create({
        _id: bookingId,
        communityId: slot.communityId,
        serviceId: service._id,
        slotId: slot._id,
        residentId: resident.id,
        actedBy: resident.actedBy?.id ?? null,
        actedByName: resident.actedBy ? nameOf(resident.actedBy) : null,
        status,
        code: newCode(),
        waitSeq,
        activeKey: `${slot._id.toHexString()}:${resident.id}`,
        serviceName: service.name,
        startAt: slot.startAt,
        endAt: slot.endAt,
        cancelDeadline: changeDeadline(service, slot.startAt),
        reminderDueAt: status === 'confirmed' ? reminderDue(slot.startAt, now) : null,
        history: [{ at: now, status, note: status === 'waitlisted' ? `排在候补第${waitSeq}位` : null, byName }],
      });
      if (status === 'waitlisted') await promoteWaiting(slot._id, now);
      if (resident.actedBy) {
        await notifications.notify(resident.id, {
          kind: 'booking',
          title: '有人为您预约了服务',
          body: `${nameOf(resident.actedBy)}为您预约了${service.name}，时间 ${when(slot.startAt)}。`,
          link: `/booking/detail/index?id=${bookingId.toHexString()}`,
          subscribe: resultMessage({ serviceName: service.name, startAt: slot.startAt }, status === 'confirmed' ? '预约成功' : '候补中', `${nameOf(resident.actedBy)}代您预约`),
        });
      }
      return created.toObject() as BookingDoc;
    } catch (error) {
      // Undo what this attempt took, in reverse order.
      if (tookSeat) await releaseSeat(slot._id, now).catch(() => undefined);
      else if (status === 'waitlisted') await Slot.updateOne({ _id: slot._id }, { $inc: { waiting: -1 } }).catch(() => undefined);
      if (!options.skipQuota) await releaseQuota(bookingId).catch(() => undefined);
      if (isDuplicateKey(error) && /code/.test(String((error as { message?: string }).message)) && !options.codeRetried) {
        return book(actor, slotId, forResidentId, now, { ...options, codeRetried: true });
      }
      if (isDuplicateKey(error)) throw new AppError('ALREADY_BOOKED');
      throw error;
    }
  }

  /** 31^6 ≈ 887 million codes; the unique index catches the rare clash and the booking is retried. */
  function newCode(): string {
    return Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  }

  /** Ends an active booking: the seat or place in line goes back, the quota ticket too. */
  async function endActive(
    booking: BookingDoc,
    to: BookingStatus,
    entry: { note: string | null; byName: string | null; byId?: string },
    now: Date,
  ): Promise<BookingDoc> {
    const ended = await Booking.findOneAndUpdate(
      { _id: booking._id, status: { $in: ['confirmed', 'waitlisted'] } },
      {
        $set: { status: to, activeKey: `closed:${booking._id.toHexString()}`, waitSeq: null },
        $push: { history: { at: now, status: to, note: entry.note, byName: entry.byName, byId: entry.byId } },
      },
      { returnDocument: 'before' },
    ).lean<BookingDoc>();
    if (!ended) throw new AppError('BOOKING_NOT_CHANGEABLE');
    if (ended.status === 'confirmed') await releaseSeat(ended.slotId, now);
    else await Slot.updateOne({ _id: ended.slotId }, { $inc: { waiting: -1 } });
    await releaseQuota(ended._id);
    return (await Booking.findById(ended._id).lean<BookingDoc>())!;
  }

  /** Lookups shared by the views of one list, so fifty bookings of one person read their name once. */
  type ViewCache = Map<string, Promise<unknown>>;
  function cached<T>(cache: ViewCache | undefined, key: string, load: () => Promise<T>): Promise<T> {
    if (!cache) return load();
    // Promise.resolve runs a mongoose query once; caching the query itself would run it per await.
    if (!cache.has(key)) cache.set(key, Promise.resolve(load()));
    return cache.get(key) as Promise<T>;
  }

  async function toView(b: BookingDoc, now: Date, cache?: ViewCache): Promise<BookingView> {
    const service = await cached(cache, `s:${b.serviceId.toHexString()}`, () =>
      Service.findById(b.serviceId).select({ guide: 1, contactPhone: 1, fullAgency: 1 }).lean<ServiceDoc>(),
    );
    let position: number | null = null;
    if (b.status === 'waitlisted' && b.waitSeq !== null) {
      position = (await Booking.countDocuments({ slotId: b.slotId, status: 'waitlisted', waitSeq: { $lt: b.waitSeq } })) + 1;
    }
    const resident = await cached(cache, `u:${b.residentId.toHexString()}`, () => accounts.getUser(b.residentId.toHexString()).catch(() => null));
    const matter = service?.fullAgency ? matterSummary(await matters.forBooking(b._id)) : null;
    return {
      id: b._id.toHexString(),
      code: b.code,
      residentId: b.residentId.toHexString(),
      residentName: resident ? (resident.displayName ?? resident.nickname) : null,
      serviceId: b.serviceId.toHexString(),
      serviceName: b.serviceName,
      slotId: b.slotId.toHexString(),
      startAt: toShanghaiIso(b.startAt),
      endAt: toShanghaiIso(b.endAt),
      location: service?.guide?.location ?? '',
      materials: service?.guide?.materials ?? [],
      status: b.status as BookingStatus,
      waitlistPosition: position,
      cancelDeadline: toShanghaiIso(b.cancelDeadline),
      canChange: (b.status === 'confirmed' && now < b.cancelDeadline) || (b.status === 'waitlisted' && now < b.startAt),
      contactPhone: service?.contactPhone ?? '',
      actedByName: b.actedByName ?? null,
      rating: b.rating ? { level: b.rating.level!, comment: b.rating.comment ?? null } : null,
      matter,
      history: (b.history ?? []).map((h) => ({
        at: toShanghaiIso(h.at),
        status: h.status as BookingStatus,
        note: h.note ?? null,
        byName: h.byName ?? null,
      })),
      createdAt: toShanghaiIso((b as { createdAt?: Date }).createdAt ?? b._id.getTimestamp()),
    };
  }

  return {
    matters,

    async listServices(actor: Actor, includeRetired = false): Promise<ServiceView[]> {
      const filter: Record<string, unknown> = { communityId: await communityFor(actor) };
      if (!includeRetired) filter.status = 'active';
      const services = await Service.find(filter).sort({ sortKey: 1, _id: 1 }).lean<ServiceDoc[]>();
      return services.map(toServiceView);
    },

    async getService(actor: Actor, serviceId: string): Promise<ServiceView> {
      return toServiceView(await serviceSeenBy(actor, serviceId));
    },

    async listSlots(actor: Actor, serviceId: string, from: string | undefined, to: string | undefined, now = new Date()): Promise<SlotView[]> {
      const service = await serviceSeenBy(actor, serviceId);
      const today = shanghaiDate(now);
      const last = addDays(today, service.bookingWindowDays);
      const slots = await Slot.find({ serviceId: service._id, date: { $gte: from ?? today, $lte: to ?? last } })
        .sort({ startAt: 1 })
        .limit(500)
        .lean<SlotDoc[]>();
      return slots.map((s) => toSlotView(s, service.status === 'active' && s.startAt > now && s.date <= last));
    },

    async book(actor: Actor, slotId: string, forResidentId: string | undefined, now = new Date()): Promise<BookingView> {
      return toView(await book(actor, slotId, forResidentId, now), now);
    },

    async listMine(actor: Actor, scope: 'upcoming' | 'past' | 'waitlisted' | 'all', limit: number, now = new Date()): Promise<BookingView[]> {
      const filter: Record<string, unknown> = { residentId: actor.id };
      if (scope === 'upcoming') Object.assign(filter, { status: { $in: ['confirmed', 'waitlisted'] }, endAt: { $gt: now } });
      if (scope === 'waitlisted') filter.status = 'waitlisted';
      if (scope === 'past') filter.$or = [{ endAt: { $lte: now } }, { status: { $nin: ['confirmed', 'waitlisted'] } }];
      const bookings = await Booking.find(filter).sort({ startAt: scope === 'upcoming' ? 1 : -1 }).limit(limit).lean<BookingDoc[]>();
      const cache: ViewCache = new Map();
      return Promise.all(bookings.map((b) => toView(b, now, cache)));
    },

    async getBooking(actor: Actor, bookingId: string, now = new Date()): Promise<BookingView> {
      return toView(await visibleBooking(actor, bookingId), now);
    },

    async cancel(actor: Actor, bookingId: string, now = new Date()): Promise<BookingView> {
      const booking = await visibleBooking(actor, bookingId);
      if (booking.status !== 'confirmed' && booking.status !== 'waitlisted') throw new AppError('BOOKING_NOT_CHANGEABLE');
      const service = await activeService(booking.serviceId);
      const staff = isCentreStaff(actor) && booking.communityId.toHexString() === actor.communityId && booking.residentId.toHexString() !== actor.id;
      if (booking.status === 'confirmed' && now >= booking.cancelDeadline && !staff) {
        throw new AppError('CHANGE_TOO_LATE', `已过取消截止时间（开始前${service.cutoffMinutes / 60}小时），如需帮助请致电${service.contactPhone}`, {
          contactPhone: service.contactPhone,
        });
      }
      const byOther = booking.residentId.toHexString() !== actor.id;
      const ended = await endActive(
        booking,
        'cancelled',
        { note: staff ? '工作人员取消' : byOther ? '家人代为取消' : null, byName: byOther ? nameOf(actor) : null, byId: actor.id },
        now,
      );
      if (byOther) {
        await notifications.notify(booking.residentId.toHexString(), {
          kind: 'booking',
          title: '您的预约已被取消',
          body: `${nameOf(actor)}取消了您 ${when(booking.startAt)} 的${booking.serviceName}。`,
          link: `/booking/detail/index?id=${booking._id.toHexString()}`,
        });
      }
      return toView(ended, now);
    },

    async reschedule(actor: Actor, bookingId: string, newSlotId: string, now = new Date()): Promise<BookingView> {
      const booking = await visibleBooking(actor, bookingId);
      if (booking.status !== 'confirmed') throw new AppError('BOOKING_NOT_CHANGEABLE', '只有已预约成功的可以改约');
      const service = await activeService(booking.serviceId);
      if (now >= booking.cancelDeadline) {
        throw new AppError('CHANGE_TOO_LATE', `已过改约截止时间，如需帮助请致电${service.contactPhone}`, { contactPhone: service.contactPhone });
      }
      const target = await Slot.findById(newSlotId).lean<SlotDoc>();
      if (!target || !target.serviceId.equals(booking.serviceId)) throw new AppError('NOT_FOUND', '只能改到同一事项的其他时段');
      if (target._id.equals(booking.slotId)) throw new AppError('ALREADY_BOOKED');
      // The quota ticket moves to the new booking, so the resident's limit holds throughout.
      const newId = new Types.ObjectId();
      await BookingQuota.updateOne({ bookingId: booking._id }, { $set: { bookingId: newId } });
      let moved: BookingDoc;
      try {
        moved = await book(actor, newSlotId, booking.residentId.toHexString(), now, { bookingId: newId, skipQuota: true, requireSeat: true });
      } catch (error) {
        await BookingQuota.updateOne({ bookingId: newId }, { $set: { bookingId: booking._id } });
        throw error;
      }
      await endActive(booking, 'cancelled', { note: `已改约到 ${when(moved.startAt)}`, byName: null, byId: actor.id }, now);
      return toView(moved, now);
    },

    async rate(actor: Actor, bookingId: string, body: RatingBody, now = new Date()): Promise<BookingView> {
      const booking = await visibleBooking(actor, bookingId);
      if (booking.residentId.toHexString() !== actor.id) throw new AppError('NOT_FOUND', '没有找到这个预约');
      if (booking.status !== 'checked_in' && booking.status !== 'closed') throw new AppError('RATING_NOT_ALLOWED');
      const rated = await Booking.findOneAndUpdate(
        { _id: booking._id, rating: null },
        { $set: { rating: { level: body.level, comment: body.comment ?? null, at: now } } },
        { returnDocument: 'after' },
      ).lean<BookingDoc>();
      if (!rated) throw new AppError('ALREADY_RATED');
      if (body.level <= 2) {
        await FollowUp.create({
          communityId: booking.communityId,
          bookingId: booking._id,
          serviceId: booking.serviceId,
          residentId: booking.residentId,
          level: body.level,
          comment: body.comment ?? null,
        });
      }
      return toView(rated, now);
    },

    // --- staff ---

    async createService(actor: Actor, body: ServiceCreateBody, now = new Date()): Promise<ServiceView> {
      if (!actor.communityId) throw new AppError('FORBIDDEN', '您的账号还没有归属社区');
      const count = await Service.countDocuments({ communityId: actor.communityId });
      const service = (await Service.create({ ...body, communityId: actor.communityId, sortKey: count + 1 })).toObject() as ServiceDoc;
      await rollSlots(service, now);
      return toServiceView(service);
    },

    async updateService(actor: Actor, serviceId: string, patch: ServiceUpdateBody, now = new Date()): Promise<ServiceView> {
      const service = await activeService(serviceId);
      if (service.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个服务事项');
      const updated = await Service.findOneAndUpdate({ _id: service._id }, { $set: patch }, { returnDocument: 'after' }).lean<ServiceDoc>();
      if (patch.capacity !== undefined && patch.capacity !== service.capacity) await resizeFutureSlots(updated!, now);
      await rollSlots(updated!, now);
      return toServiceView(updated!);
    },

    /** Retiring stops new bookings and removes empty future slots; existing bookings stay. Nothing is deleted. */
    async retireService(actor: Actor, serviceId: string, now = new Date()): Promise<ServiceView> {
      const service = await activeService(serviceId);
      if (service.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这个服务事项');
      const retired = await Service.findOneAndUpdate({ _id: service._id }, { $set: { status: 'retired' } }, { returnDocument: 'after' }).lean<ServiceDoc>();
      await rollSlots(retired!, now);
      return toServiceView(retired!);
    },

    /**
     * Sends the reminders that are due. Each booking is claimed by one guarded
     * update of its remindedAt, so two API instances never remind twice.
     */
    async sendDueReminders(now = new Date(), max = 100): Promise<number> {
      let sent = 0;
      for (; sent < max; sent++) {
        const due = await Booking.findOneAndUpdate(
          { status: 'confirmed', remindedAt: null, reminderDueAt: { $lte: now }, startAt: { $gt: now } },
          { $set: { remindedAt: now } },
          { sort: { reminderDueAt: 1 }, returnDocument: 'after' },
        ).lean<BookingDoc>();
        if (!due) break;
        const service = await Service.findById(due.serviceId).select({ guide: 1 }).lean<ServiceDoc>();
        await notifications.notify(due.residentId.toHexString(), {
          kind: 'booking',
          title: '办事提醒',
          body: `您预约的${due.serviceName}在 ${when(due.startAt)}，地点：${service?.guide?.location ?? '服务中心'}。记得带齐材料，出示核验码 ${due.code}。`,
          link: `/booking/detail/index?id=${due._id.toHexString()}`,
          subscribe: {
            templateId: templates.bookingReminder,
            data: { thing1: due.serviceName, time2: toShanghaiIso(due.startAt).slice(0, 16).replace('T', ' '), thing3: service?.guide?.location ?? '服务中心' },
          },
        });
      }
      return sent;
    },

    /** People still in line when their slot starts are told it did not work out. */
    async expireWaitlists(now = new Date(), max = 200): Promise<number> {
      let expired = 0;
      for (let i = 0; i < max; i++) {
        const due = await Booking.findOne({ status: 'waitlisted', startAt: { $lte: now } }).select({ _id: 1 }).lean<BookingDoc>();
        if (!due) break;
        // Guarded by the status: a promotion or a cancellation racing this one wins or loses whole.
        const gone = await Booking.findOneAndUpdate(
          { _id: due._id, status: 'waitlisted' },
          {
            $set: { status: 'expired', activeKey: `closed:${due._id.toHexString()}`, waitSeq: null },
            $push: { history: { at: now, status: 'expired', note: '时段已开始，候补未成功', byName: null } },
          },
          { returnDocument: 'before' },
        ).lean<BookingDoc>();
        if (!gone) continue;
        expired++;
        await Slot.updateOne({ _id: gone.slotId }, { $inc: { waiting: -1 } });
        await releaseQuota(gone._id);
        await notifications.notify(gone.residentId.toHexString(), {
          kind: 'booking',
          title: '候补未成功',
          body: `很抱歉，${when(gone.startAt)} 的${gone.serviceName}没有空出名额。可以再约其他时间。`,
          link: `/booking/service/index?id=${gone.serviceId.toHexString()}`,
        });
      }
      return expired;
    },

    async listFollowUps(actor: Actor, status: 'open' | 'done' | undefined) {
      const filter: Record<string, unknown> = { communityId: actor.communityId };
      if (status) filter.status = status;
      const items = await FollowUp.find(filter).sort({ _id: 1 }).limit(200).lean();
      return Promise.all(
        items.map(async (f) => {
          const resident = await accounts.getUser(f.residentId.toHexString()).catch(() => null);
          const booking = await Booking.findById(f.bookingId).select({ serviceName: 1, startAt: 1 }).lean<BookingDoc>();
          return {
            id: f._id.toHexString(),
            bookingId: f.bookingId.toHexString(),
            serviceName: booking?.serviceName ?? '',
            startAt: booking ? toShanghaiIso(booking.startAt) : null,
            residentName: resident ? (resident.displayName ?? resident.nickname) : null,
            level: f.level,
            comment: f.comment ?? null,
            status: f.status as 'open' | 'done',
            resolution: (f as { resolution?: string | null }).resolution ?? null,
          };
        }),
      );
    },

    async resolveFollowUp(actor: Actor, followUpId: string, note: string, now = new Date()) {
      // A poor rating is answered by someone other than the person who gave it.
      const done = await FollowUp.findOneAndUpdate(
        { _id: followUpId, communityId: actor.communityId, status: 'open', residentId: { $ne: new Types.ObjectId(actor.id) } },
        { $set: { status: 'done', resolution: note, resolvedBy: actor.id, resolvedAt: now } },
        { returnDocument: 'after' },
      ).lean();
      if (!done) {
        const own = await FollowUp.exists({ _id: followUpId, communityId: actor.communityId, status: 'open', residentId: new Types.ObjectId(actor.id) });
        throw own ? new AppError('FORBIDDEN', '这是您自己的评价，请另一位工作人员跟进') : new AppError('NOT_FOUND', '没有找到待跟进的评价');
      }
      await notifications.notify(done.residentId.toHexString(), { kind: 'booking', title: '关于您的评价', body: `服务中心回复：${note}` });
      return { id: done._id.toHexString(), status: 'done' as const };
    },

    /** Keeps every active service's rolling window of slots filled; safe in several instances at once. */
    async rollAllSlots(now = new Date()): Promise<number> {
      const services = await Service.find({ status: 'active' }).lean<ServiceDoc[]>();
      let created = 0;
      for (const s of services) created += (await rollSlots(s, now)).created;
      return created;
    },

    async windowList(actor: Actor, date: string | undefined, serviceId: string | undefined, now = new Date()): Promise<BookingView[]> {
      const day = date ?? shanghaiDate(now);
      const filter: Record<string, unknown> = {
        communityId: actor.communityId,
        startAt: { $gte: new Date(`${day}T00:00:00+08:00`), $lt: new Date(`${addDays(day, 1)}T00:00:00+08:00`) },
        status: { $in: ['confirmed', 'checked_in', 'no_show', 'closed'] },
      };
      if (serviceId) filter.serviceId = serviceId;
      const bookings = await Booking.find(filter).sort({ startAt: 1, _id: 1 }).limit(500).lean<BookingDoc[]>();
      const cache: ViewCache = new Map();
      return Promise.all(bookings.map((b) => toView(b, now, cache)));
    },

    async checkIn(actor: Actor, code: string, now = new Date()): Promise<BookingView> {
      const booking = await Booking.findOne({ code, communityId: actor.communityId }).lean<BookingDoc>();
      if (!booking) throw new AppError('NOT_FOUND', '没有找到这个核验码对应的预约');
      if (shanghaiDate(booking.startAt) !== shanghaiDate(now)) throw new AppError('CHECK_IN_NOT_TODAY', `这个预约在${toShanghaiIso(booking.startAt).slice(0, 10)}，不是今天`);
      if (booking.status === 'checked_in') throw new AppError('BOOKING_NOT_CHANGEABLE', '这个预约已经核验过了');
      if (booking.status !== 'confirmed') throw new AppError('BOOKING_NOT_CHANGEABLE', '这个预约不是“已预约”状态，不能核验');
      const checked = await Booking.findOneAndUpdate(
        { _id: booking._id, status: 'confirmed' },
        {
          $set: { status: 'checked_in', activeKey: `closed:${booking._id.toHexString()}` },
          $push: { history: { at: now, status: 'checked_in', note: null, byName: nameOf(actor), byId: actor.id } },
        },
        { returnDocument: 'after' },
      ).lean<BookingDoc>();
      if (!checked) throw new AppError('BOOKING_NOT_CHANGEABLE', '这个预约已经核验过了');
      // Arrived: the seat is used, and the resident may book this service again.
      await releaseQuota(checked._id);
      const service = await Service.findById(checked.serviceId).select({ fullAgency: 1 }).lean<ServiceDoc>();
      if (service?.fullAgency) await matters.openFor(checked);
      return toView(checked, now);
    },

    async markNoShow(actor: Actor, bookingId: string, now = new Date()): Promise<BookingView> {
      const booking = await visibleBooking(actor, bookingId);
      if (now < booking.endAt) throw new AppError('NO_SHOW_TOO_EARLY');
      const marked = await Booking.findOneAndUpdate(
        { _id: booking._id, status: 'confirmed' },
        {
          $set: { status: 'no_show', activeKey: `closed:${booking._id.toHexString()}` },
          $push: { history: { at: now, status: 'no_show', note: null, byName: nameOf(actor), byId: actor.id } },
        },
        { returnDocument: 'after' },
      ).lean<BookingDoc>();
      if (!marked) throw new AppError('BOOKING_NOT_CHANGEABLE', '只有“已预约”的可以标记未到场');
      await releaseQuota(marked._id);
      return toView(marked, now);
    },

    async close(actor: Actor, bookingId: string, note: string, now = new Date()): Promise<BookingView> {
      const booking = await visibleBooking(actor, bookingId);
      const closed = await Booking.findOneAndUpdate(
        { _id: booking._id, status: 'checked_in' },
        { $set: { status: 'closed' }, $push: { history: { at: now, status: 'closed', note, byName: nameOf(actor), byId: actor.id } } },
        { returnDocument: 'after' },
      ).lean<BookingDoc>();
      if (!closed) throw new AppError('BOOKING_NOT_CHANGEABLE', '到场核验后才能办结');
      await notifications.notify(closed.residentId.toHexString(), {
        kind: 'booking',
        title: '事项已办结',
        body: `${closed.serviceName}已办结：${note}。欢迎对这次服务做个评价。`,
        link: `/booking/detail/index?id=${closed._id.toHexString()}`,
        subscribe: resultMessage(closed, '已办结', note),
      });
      return toView(closed, now);
    },
  };
}

export function toServiceView(s: ServiceDoc): ServiceView {
  return {
    id: s._id.toHexString(),
    name: s.name,
    category: s.category as ServiceView['category'],
    summary: s.summary ?? '',
    guide: {
      materials: s.guide?.materials ?? [],
      location: s.guide?.location ?? '',
      duration: s.guide?.duration ?? '',
      steps: s.guide?.steps ?? [],
      notes: s.guide?.notes ?? '',
    },
    oneWindow: s.oneWindow ?? true,
    fullAgency: s.fullAgency ?? false,
    slotMinutes: s.slotMinutes,
    capacity: s.capacity,
    weeklyHours: (s.weeklyHours ?? []).map((h) => ({ weekday: h.weekday!, start: h.start!, end: h.end! })),
    closedDays: (s.closedDays ?? []).map((d) => ({ date: d.date!, reason: d.reason! })),
    cutoffMinutes: s.cutoffMinutes ?? 120,
    maxActivePerResident: s.maxActivePerResident ?? 1,
    bookingWindowDays: s.bookingWindowDays ?? 14,
    contactPhone: s.contactPhone,
    status: s.status as ServiceView['status'],
  };
}

function toSlotView(s: SlotDoc, open: boolean): SlotView {
  return {
    id: s._id.toHexString(),
    serviceId: s.serviceId.toHexString(),
    date: s.date,
    startAt: toShanghaiIso(s.startAt),
    endAt: toShanghaiIso(s.endAt),
    capacity: s.capacity,
    seatsLeft: s.seatsLeft,
    waitlistLength: s.waiting ?? 0,
    bookable: open,
  };
}
