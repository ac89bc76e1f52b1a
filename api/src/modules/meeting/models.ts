import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { councilMemberTitles, meetingStatuses, resolutionStatuses } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId; createdAt: Date };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

/**
 * One per community and person, `_id` = `<communityId>|<userId>`: adding the
 * same person twice cannot make two members. Leaving sets `leftAt`; the row is
 * kept so past meetings still name who was expected.
 */
const memberSchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: ref,
    userId: ref,
    name: { type: String, required: true },
    title: { type: String, enum: councilMemberTitles, required: true },
    joinedAt: { type: Date, required: true },
    leftAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
memberSchema.index({ communityId: 1, leftAt: 1 });
export const CouncilMember = model('CouncilMember', memberSchema, 'council_members');
export type CouncilMemberDoc = InferSchemaType<typeof memberSchema> & { _id: string };

const agendaItemSchema = new Schema({ title: { type: String, required: true }, topicId: { type: Schema.Types.ObjectId, default: null } }, { _id: false });
const minutesSchema = new Schema(
  { text: { type: String, required: true }, byName: { type: String, required: true }, at: { type: Date, required: true }, revision: { type: Number, required: true } },
  { _id: false },
);

const meetingSchema = new Schema(
  {
    communityId: ref,
    title: { type: String, required: true },
    place: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: meetingStatuses, required: true },
    cancelReason: { type: String, default: null },
    agenda: { type: [agendaItemSchema], required: true },
    /** The members when the meeting was called: 应到, and who may sign in. */
    expectedIds: { type: [Schema.Types.ObjectId], required: true },
    /** 实到, moved only after an attendance row was inserted (so it equals their count). */
    present: { type: Number, default: 0 },
    /** The poster's code in force; a new one retires it. */
    signInCode: { type: String, default: null },
    minutes: { type: minutesSchema, default: null },
    createdBy: ref,
  },
  options,
);
meetingSchema.index({ communityId: 1, startsAt: -1 });
export const Meeting = model('Meeting', meetingSchema, 'meetings');
export type MeetingDoc = WithId<InferSchemaType<typeof meetingSchema>>;

/** A poster's code, `_id` = the code: a photo of a retired or another meeting's poster finds its own row and is refused. */
const codeSchema = new Schema(
  { _id: { type: String, required: true }, meetingId: ref, expiresAt: { type: Date, required: true }, createdBy: ref },
  { timestamps: true, versionKey: false },
);
export const MeetingCode = model('MeetingCode', codeSchema, 'meeting_codes');
export type MeetingCodeDoc = InferSchemaType<typeof codeSchema> & { _id: string };

/** One per meeting and member, `_id` = `<meetingId>|<userId>`: two taps or a replay sign in once. */
const attendanceSchema = new Schema(
  {
    _id: { type: String, required: true },
    meetingId: ref,
    userId: ref,
    at: { type: Date, required: true },
    method: { type: String, enum: ['scan', 'desk'], required: true },
    byId: ref,
  },
  { timestamps: false, versionKey: false },
);
attendanceSchema.index({ meetingId: 1 });
export const MeetingAttendance = model('MeetingAttendance', attendanceSchema, 'meeting_attendance');
export type AttendanceDoc = InferSchemaType<typeof attendanceSchema> & { _id: string };

/** Every revision of the minutes, `_id` = `<meetingId>|<revision>`: two people saving at once cannot both be revision n. */
const minutesRevisionSchema = new Schema(
  { _id: { type: String, required: true }, meetingId: ref, revision: { type: Number, required: true }, text: { type: String, required: true }, byId: ref, byName: { type: String, required: true } },
  { timestamps: true, versionKey: false },
);
export const MinutesRevision = model('MinutesRevision', minutesRevisionSchema, 'meeting_minutes');

const followUpSchema = new Schema(
  { note: { type: String, required: true }, status: { type: String, enum: ['in_progress', 'done'], required: true }, byId: ref, byName: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const resolutionSchema = new Schema(
  {
    meetingId: ref,
    communityId: ref,
    agendaIndex: { type: Number, required: true },
    agendaTitle: { type: String, required: true },
    topicId: { type: Schema.Types.ObjectId, default: null },
    text: { type: String, required: true },
    yes: { type: Number, required: true },
    no: { type: Number, required: true },
    abstain: { type: Number, required: true },
    present: { type: Number, required: true },
    passed: { type: Boolean, required: true },
    owner: { type: String, required: true },
    dueDate: { type: String, required: true },
    status: { type: String, enum: resolutionStatuses, required: true },
    followUps: { type: [followUpSchema], default: [] },
    createdBy: ref,
  },
  options,
);
// One decision per agenda item: a second tap or a colleague at the same time gets RESOLUTION_EXISTS.
resolutionSchema.index({ meetingId: 1, agendaIndex: 1 }, { unique: true });
resolutionSchema.index({ topicId: 1 });
export const Resolution = model('Resolution', resolutionSchema, 'resolutions');
export type ResolutionDoc = WithId<InferSchemaType<typeof resolutionSchema>>;
