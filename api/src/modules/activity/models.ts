import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { activityTypes, signupStatuses } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId; createdAt: Date };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const activitySchema = new Schema(
  {
    communityId: ref,
    createdBy: ref,
    type: { type: String, enum: activityTypes, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    place: { type: String, required: true },
    organiser: { type: String, required: true },
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    signupOpensAt: { type: Date, required: true },
    signupClosesAt: { type: Date, required: true },
    capacity: { type: Number, required: true },
    cancelCutoffMinutes: { type: Number, required: true },
    skills: { type: [String], default: undefined },
    minAge: { type: Number, default: null },
    maxAge: { type: Number, default: null },
    pointsPerHour: { type: Number, required: true },
    graceMinutes: { type: Number, required: true },
    status: { type: String, enum: ['published', 'cancelled'], default: 'published' },
    cancelledAt: { type: Date, default: null },
    cancelReason: { type: String, default: null },
    /** People in line and the last ticket handed out (FIFO order of the waitlist). */
    waiting: { type: Number, default: 0 },
    waitSeq: { type: Number, default: 0 },
    /** The live check-in poster; printing a new one retires the old (a photo of it stops working). */
    posterId: { type: String, default: null },
  },
  options,
);
activitySchema.index({ communityId: 1, startAt: 1 });
export const Activity = model('Activity', activitySchema, 'activities');
export type ActivityDoc = WithId<InferSchemaType<typeof activitySchema>>;

/**
 * A place at an activity is a document `<activityId>:<n>` (n = 1…capacity): the
 * unique `_id` makes holding more places than exist impossible, whatever races.
 */
const seatSchema = new Schema(
  { _id: { type: String, required: true }, activityId: ref, signupId: ref },
  { versionKey: false, timestamps: true },
);
seatSchema.index({ activityId: 1 });
export const Seat = model('ActivitySeat', seatSchema, 'activity_seats');

const signupSchema = new Schema(
  {
    activityId: ref,
    communityId: ref,
    residentId: ref,
    residentName: { type: String, required: true },
    gridIds: { type: [Schema.Types.ObjectId], default: undefined },
    activityTitle: { type: String, required: true },
    status: { type: String, enum: signupStatuses, required: true },
    seatNo: { type: Number, default: null },
    waitSeq: { type: Number, default: null },
    /** `<activityId>:<residentId>` unless cancelled or expired (then `closed:<id>`): one sign-up per person per activity. */
    activeKey: { type: String, required: true, unique: true },
    checkInAt: { type: Date, default: null },
    checkOutAt: { type: Date, default: null },
    scannedMinutes: { type: Number, default: null },
    confirmedMinutes: { type: Number, default: null },
    actedBy: { type: Schema.Types.ObjectId, default: null },
    actedByName: { type: String, default: null },
  },
  options,
);
signupSchema.index({ activityId: 1, status: 1, waitSeq: 1 });
signupSchema.index({ residentId: 1, _id: -1 });
export const Signup = model('ActivitySignup', signupSchema, 'activity_signups');
export type SignupDoc = WithId<InferSchemaType<typeof signupSchema>>;

/** A printed check-in poster: its short id is the QR code's content (≤ 32 characters for a mini-program code). */
const posterSchema = new Schema(
  { _id: { type: String, required: true }, activityId: ref, expiresAt: { type: Date, required: true }, createdBy: ref },
  { versionKey: false, timestamps: true },
);
export const Poster = model('ActivityPoster', posterSchema, 'activity_posters');
export type PosterDoc = InferSchemaType<typeof posterSchema> & { _id: string };

/**
 * The hours and points ledgers: every change is an entry with a reason and who
 * made it; a balance is the sum of entries, never a stored field. Entries that
 * must happen once (the confirmation of one sign-up) have deterministic ids.
 */
const ledgerSchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: ref,
    userId: ref,
    gridIds: { type: [Schema.Types.ObjectId], default: undefined },
    amount: { type: Number, required: true },
    reason: { type: String, required: true },
    byId: ref,
    byName: { type: String, required: true },
    activityId: { type: Schema.Types.ObjectId, default: null },
    activityTitle: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
ledgerSchema.index({ userId: 1, at: -1 });
ledgerSchema.index({ communityId: 1, at: -1 });
export const HoursEntry = model('HoursEntry', ledgerSchema, 'volunteer_hours');
export const PointsEntry = model('PointsEntry', ledgerSchema.clone(), 'volunteer_points');
export type LedgerDoc = InferSchemaType<typeof ledgerSchema> & { _id: string };
