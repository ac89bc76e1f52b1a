import { addDays, minutesOf, shanghaiDate, shanghaiInstant, timeOfMinutes, weekdayOf } from '@community/shared';
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
 * Brings the service's future slots in line with its hours: creates the missing
 * ones (upserts: safe when two API instances roll at once) and removes future
 * slots nobody has booked that the hours no longer give. Slots with bookings
 * stay; staff deal with those people.
 */
export async function rollSlots(service: ServiceDoc, now = new Date()): Promise<{ created: number; removed: number }> {
  // A retired service keeps its slots (shown as not bookable); it just gets no new ones.
  if (service.status !== 'active') return { created: 0, removed: 0 };
  const today = shanghaiDate(now);
  const planned = plannedSlots(service, today).filter((s) => s.startAt > now);
  let created = 0;
  if (planned.length) {
    const result = await Slot.bulkWrite(
      planned.map((s) => ({
        updateOne: {
          filter: { serviceId: service._id, startAt: s.startAt },
          update: {
            $setOnInsert: {
              communityId: service.communityId,
              serviceId: service._id,
              date: s.date,
              startAt: s.startAt,
              endAt: s.endAt,
              capacity: service.capacity,
              seatsLeft: service.capacity,
              waiting: 0,
              waitSeq: 0,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    created = result.upsertedCount;
  }
  const keep = new Set(planned.map((s) => s.startAt.getTime()));
  const future = await Slot.find({ serviceId: service._id, startAt: { $gt: now } })
    .select({ startAt: 1, seatsLeft: 1, capacity: 1, waiting: 1, waitSeq: 1 })
    .lean();
  const stale = future.filter((s) => !keep.has(s.startAt.getTime()) && s.seatsLeft === s.capacity && s.waiting === 0 && s.waitSeq === 0);
  let removed = 0;
  for (const s of stale) {
    // Guarded: a booking that lands meanwhile keeps the slot.
    const r = await Slot.deleteOne({ _id: s._id, seatsLeft: s.capacity, waiting: 0, waitSeq: 0 });
    removed += r.deletedCount;
  }
  return { created, removed };
}
