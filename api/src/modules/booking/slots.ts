import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { addDays, minutesOf, shanghaiDate, shanghaiInstant, timeOfMinutes, weekdayOf } from '@community/shared';
import { isDuplicateKey } from '../../db/connection.js';
import { Slot, type ServiceDoc } from './models.js';

/**
 * The slots a service's opening hours give on the days of its booking window,
 * skipping closed days. Pure: the caller writes them.
 */
export function plannedSlots(service: Pick<ServiceDoc, 'weeklyHours' | 'closedDays' | 'slotMinutes' | 'bookingWindowDays'>, today: string) {
  const closed = new Set((service.closedDays ?? []).map((d) => d.date));
  const out: { date: string; startAt: Date; endAt: Date }[] = [];
  for (let i = 0; i <= service.bookingWindowDays; i++) {
    const date = addDays(today, i);
    if (closed.has(date)) continue;
    const weekday = weekdayOf(date);
    for (const hours of service.weeklyHours ?? []) {
      if (hours.weekday !== weekday || !hours.start || !hours.end) continue;
      for (let t = minutesOf(hours.start); t + service.slotMinutes <= minutesOf(hours.end); t += service.slotMinutes) {
        out.push({ date, startAt: shanghaiInstant(date, timeOfMinutes(t)), endAt: shanghaiInstant(date, timeOfMinutes(t + service.slotMinutes)) });
      }
    }
  }
  return out;
}

/**
 * A slot's id is made from its service and start time (the start in the
 * ObjectId's time bytes, the service in the rest), so the same slot always has
 * the same id: rolling twice, or in two API instances at once, cannot make two.
 * It also lets us look slots up by _id, the one filter FerretDB hands to
 * PostgreSQL's index (docs/database-facts.md).
 */
export function slotIdFor(serviceId: Types.ObjectId, startAt: Date): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(startAt.getTime() / 1000), 0);
  createHash('sha256').update(serviceId.toHexString()).digest().copy(bytes, 4, 0, 8);
  return new Types.ObjectId(bytes);
}

/**
 * Brings the service's future slots in line with its hours: inserts the missing
 * ones and removes future slots nobody has booked that the hours no longer give.
 * Slots with bookings stay; staff deal with those people.
 */
export async function rollSlots(service: ServiceDoc, now = new Date()): Promise<{ created: number; removed: number }> {
  // A retired service keeps its slots (shown as not bookable); it just gets no new ones.
  if (service.status !== 'active') return { created: 0, removed: 0 };
  const planned = plannedSlots(service, shanghaiDate(now)).filter((s) => s.startAt > now);
  const future = await Slot.find({ serviceId: service._id, startAt: { $gt: now } })
    .select({ startAt: 1, seatsLeft: 1, capacity: 1, waiting: 1, waitSeq: 1 })
    .lean();
  const existing = new Set(future.map((s) => s.startAt.getTime()));
  const missing = planned.filter((s) => !existing.has(s.startAt.getTime()));
  let created = 0;
  if (missing.length) {
    try {
      const inserted = await Slot.insertMany(
        missing.map((s) => ({
          _id: slotIdFor(service._id, s.startAt),
          communityId: service.communityId,
          serviceId: service._id,
          date: s.date,
          startAt: s.startAt,
          endAt: s.endAt,
          capacity: service.capacity,
          seatsLeft: service.capacity,
          waiting: 0,
          waitSeq: 0,
        })),
        { ordered: false },
      );
      created = inserted.length;
    } catch (error) {
      // Another instance inserted some of them first: those duplicates are fine.
      if (!isDuplicateKey(error) && !(error as { writeErrors?: { code?: number }[] }).writeErrors?.every((e) => e.code === 11000)) throw error;
      created = (error as { insertedDocs?: unknown[] }).insertedDocs?.length ?? 0;
    }
  }
  const keep = new Set(planned.map((s) => s.startAt.getTime()));
  const stale = future.filter((s) => !keep.has(s.startAt.getTime()) && s.seatsLeft === s.capacity && s.waiting === 0 && s.waitSeq === 0);
  let removed = 0;
  for (const s of stale) {
    // Guarded: a booking that lands meanwhile keeps the slot.
    const r = await Slot.deleteOne({ _id: s._id, seatsLeft: s.capacity, waiting: 0, waitSeq: 0 });
    removed += r.deletedCount;
  }
  return { created, removed };
}
