import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { bookingStatuses, serviceCategories } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const serviceSchema = new Schema(
  {
    communityId: ref,
    name: { type: String, required: true },
    category: { type: String, enum: serviceCategories, required: true },
    summary: { type: String, default: '' },
    guide: {
      materials: { type: [String], default: undefined },
      location: { type: String, required: true },
      duration: { type: String, default: '' },
      steps: { type: [String], default: undefined },
      notes: { type: String, default: '' },
    },
    oneWindow: { type: Boolean, default: true },
    fullAgency: { type: Boolean, default: false },
    slotMinutes: { type: Number, required: true },
    capacity: { type: Number, required: true },
    weeklyHours: { type: [{ _id: false, weekday: Number, start: String, end: String }], default: undefined },
    closedDays: { type: [{ _id: false, date: String, reason: String }], default: undefined },
    cutoffMinutes: { type: Number, default: 120 },
    maxActivePerResident: { type: Number, default: 1 },
    bookingWindowDays: { type: Number, default: 14 },
    contactPhone: { type: String, required: true },
    status: { type: String, enum: ['active', 'retired'], default: 'active' },
    sortKey: { type: Number, default: 0 },
  },
  options,
);
serviceSchema.index({ communityId: 1, status: 1, sortKey: 1 });
export const Service = model('Service', serviceSchema, 'services');
export type ServiceDoc = WithId<InferSchemaType<typeof serviceSchema>>;

/**
 * One opening of a service. `seatsLeft` and `waiting` are changed only by
 * guarded `$inc`s on this one document, which is what keeps the capacity
 * invariant under any number of simultaneous bookings.
 */
const slotSchema = new Schema(
  {
    communityId: ref,
    serviceId: ref,
    date: { type: String, required: true },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    capacity: { type: Number, required: true },
    seatsLeft: { type: Number, required: true },
    /** Bookings in line for this slot. */
    waiting: { type: Number, default: 0 },
    /** Ticket counter of the waitlist: first come, first served. */
    waitSeq: { type: Number, default: 0 },
  },
  options,
);
slotSchema.index({ serviceId: 1, startAt: 1 }, { unique: true });
slotSchema.index({ serviceId: 1, date: 1 });
slotSchema.index({ communityId: 1, date: 1 });
export const Slot = model('Slot', slotSchema, 'slots');
export type SlotDoc = WithId<InferSchemaType<typeof slotSchema>>;

const historySchema = new Schema(
  { at: { type: Date, required: true }, status: { type: String, required: true }, note: String, byName: String, byId: Schema.Types.ObjectId },
  { _id: false },
);

const bookingSchema = new Schema(
  {
    communityId: ref,
    serviceId: ref,
    slotId: ref,
    residentId: ref,
    /** Who tapped the button when it was not the resident (staff at the window, family). */
    actedBy: { type: Schema.Types.ObjectId, default: null },
    actedByName: { type: String, default: null },
    status: { type: String, enum: bookingStatuses, required: true },
    code: { type: String, required: true, unique: true },
    waitSeq: { type: Number, default: null },
    /** `slotId:residentId` while active, `closed:<id>` after: one active booking per person and slot. */
    activeKey: { type: String, required: true, unique: true },
    // Copied from the slot and service when booked, so lists need no second query.
    serviceName: { type: String, required: true },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    cancelDeadline: { type: Date, required: true },
    /** When to remind (a day before, or two hours before for late bookings); set once, claimed once. */
    reminderDueAt: { type: Date, default: null },
    remindedAt: { type: Date, default: null },
    history: { type: [historySchema], default: undefined },
    rating: {
      type: new Schema({ level: Number, comment: String, at: Date }, { _id: false }),
      default: null,
    },
  },
  options,
);
bookingSchema.index({ residentId: 1, startAt: -1 });
bookingSchema.index({ slotId: 1, status: 1, waitSeq: 1 });
bookingSchema.index({ communityId: 1, startAt: 1 });
bookingSchema.index({ status: 1, remindedAt: 1, reminderDueAt: 1 });
export const Booking = model('Booking', bookingSchema, 'bookings');
export type BookingDoc = WithId<InferSchemaType<typeof bookingSchema>>;

/**
 * A resident's active bookings per service are capped by claiming numbered
 * tickets `serviceId:residentId:1…N` (unique _id): two taps at once cannot both
 * get the last ticket.
 */
const quotaSchema = new Schema({ _id: String, bookingId: ref }, { versionKey: false });
export const BookingQuota = model('BookingQuota', quotaSchema, 'booking_quotas');

/** Poor ratings become follow-up tasks for the centre. */
const followUpSchema = new Schema(
  {
    communityId: ref,
    bookingId: ref,
    serviceId: ref,
    residentId: ref,
    level: { type: Number, required: true },
    comment: { type: String, default: null },
    status: { type: String, enum: ['open', 'done'], default: 'open' },
    resolution: { type: String, default: null },
    resolvedBy: { type: Schema.Types.ObjectId, default: null },
    resolvedAt: { type: Date, default: null },
  },
  options,
);
followUpSchema.index({ bookingId: 1 }, { unique: true });
export const FollowUp = model('FollowUp', followUpSchema, 'booking_follow_ups');

/**
 * 全程代办: a booking of a full-agency service becomes a matter that one staff
 * member owns from acceptance to the end (首问负责). Notes are visible to the
 * resident; nothing is edited in place, notes are appended.
 */
const matterSchema = new Schema(
  {
    communityId: ref,
    bookingId: ref,
    serviceId: ref,
    residentId: ref,
    serviceName: { type: String, required: true },
    /** The booked slot's start, copied so the staff list needs no second query. */
    startAt: { type: Date, default: null },
    status: { type: String, enum: ['open', 'accepted', 'done'], default: 'open' },
    ownerId: { type: Schema.Types.ObjectId, default: null },
    ownerName: { type: String, default: null },
    promisedBy: { type: String, default: null },
    notes: { type: [{ _id: false, at: Date, byName: String, byId: Schema.Types.ObjectId, text: String }], default: undefined },
  },
  options,
);
matterSchema.index({ bookingId: 1 }, { unique: true });
matterSchema.index({ communityId: 1, status: 1, _id: 1 });
export const Matter = model('Matter', matterSchema, 'matters');
export type MatterDoc = WithId<InferSchemaType<typeof matterSchema>>;
