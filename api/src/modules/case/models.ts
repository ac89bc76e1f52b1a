import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { caseCategories, caseKinds, caseStatuses, deskLevels } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId; createdAt: Date };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

/**
 * A case's current state. It changes only by guarded updates from the state a
 * step expects; what happened is in case_steps (inserted, never edited).
 */
const caseSchema = new Schema(
  {
    communityId: ref,
    number: { type: String, required: true, unique: true },
    reporterId: ref,
    reporterName: { type: String, required: true },
    reporterPhone: { type: String, default: null },
    visibility: { type: String, enum: ['everyone', 'staff_only'], required: true },
    kind: { type: String, enum: caseKinds, required: true },
    category: { type: String, enum: caseCategories, required: true },
    urgent: { type: Boolean, default: false },
    placeKind: { type: String, enum: ['room', 'common'], required: true },
    roomId: { type: Schema.Types.ObjectId, default: null },
    buildingId: ref,
    gridId: ref,
    propertyCompanyId: { type: Schema.Types.ObjectId, default: null },
    placeLabel: { type: String, required: true },
    text: { type: String, required: true },
    /** Upload ids (random hex; ObjectIds in cases from before), each attached to this case: served by /cases/:id/photos/:photoId. */
    photoIds: { type: [Schema.Types.Mixed], default: undefined },
    status: { type: String, enum: caseStatuses, required: true },
    level: { type: String, enum: deskLevels, required: true },
    /** The desk routing chose, for the scorecard per desk. */
    firstLevel: { type: String, enum: deskLevels, default: null },
    /** The promise as a duration, so it restarts with the same length at each new desk. */
    promiseMinutes: { type: Number, required: true },
    promiseUnit: { type: String, required: true },
    promiseAmount: { type: Number, required: true },
    promisedBy: { type: Date, required: true },
    /** Set when a case is escalated: the receiving desk must acknowledge (报到) by then. */
    ackDueAt: { type: Date, default: null },
    /** Bumped on every escalation: the scheduler's guard, so two schedulers escalate once. */
    hop: { type: Number, default: 0 },
    pausedUntil: { type: String, default: null },
    pausedAt: { type: Date, default: null },
    acceptedAt: { type: Date, default: null },
    firstAcceptedInTime: { type: Boolean, default: null },
    resolvedAt: { type: Date, default: null },
    resolvedInTime: { type: Boolean, default: null },
    closedAt: { type: Date, default: null },
    reopenCount: { type: Number, default: 0 },
    followers: { type: Number, default: 0 },
    rating: { level: { type: Number, default: null }, comment: { type: String, default: '' } },
    rectification: { dueOn: { type: String, default: null }, status: { type: String, default: null }, visitNote: { type: String, default: null } },
  },
  options,
);
caseSchema.index({ communityId: 1, status: 1, level: 1 });
caseSchema.index({ reporterId: 1, _id: -1 });
caseSchema.index({ buildingId: 1, category: 1, status: 1 });
export const Case = model('Case', caseSchema, 'cases');
export type CaseDoc = WithId<InferSchemaType<typeof caseSchema>>;

const stepSchema = new Schema(
  {
    caseId: ref,
    at: { type: Date, required: true },
    action: { type: String, required: true },
    byId: { type: Schema.Types.ObjectId, default: null },
    byName: { type: String, required: true },
    /** Whether the reporter's name may appear beside the step for this audience is decided when viewing. */
    note: { type: String, default: null },
    level: { type: String, default: null },
    /** The desk's photos of this step, attached to the case (not the step), as the case's own are. */
    photoIds: { type: [Schema.Types.Mixed], default: undefined },
  },
  { versionKey: false },
);
stepSchema.index({ caseId: 1, at: 1 });
export const CaseStep = model('CaseStep', stepSchema, 'case_steps');
export type CaseStepDoc = InferSchemaType<typeof stepSchema> & { _id: Types.ObjectId };

/** 加入关注: `<caseId>|<userId>`, one per person. */
const followSchema = new Schema({ _id: { type: String, required: true }, caseId: ref, userId: ref }, { versionKey: false, timestamps: true });
followSchema.index({ userId: 1 });
export const CaseFollow = model('CaseFollow', followSchema, 'case_follows');

const routingRuleSchema = new Schema(
  {
    communityId: ref,
    category: { type: String, enum: caseCategories, default: null },
    buildingId: { type: Schema.Types.ObjectId, default: null },
    level: { type: String, enum: ['property', 'grid', 'centre'] as const, required: true },
  },
  options,
);
export const RoutingRuleModel = model('RoutingRule', routingRuleSchema, 'case_routing_rules');

const promiseRuleSchema = new Schema(
  {
    communityId: ref,
    category: { type: String, enum: caseCategories, default: null },
    kind: { type: String, enum: caseKinds, default: null },
    urgent: { type: Boolean, default: null },
    amount: { type: Number, required: true },
    unit: { type: String, enum: ['hours', 'working_days'] as const, required: true },
  },
  options,
);
export const PromiseRuleModel = model('PromiseRule', promiseRuleSchema, 'case_promise_rules');

/** Holidays and 调休 working weekends, per community (the working-day clock). */
const calendarSchema = new Schema(
  { _id: ref, holidays: { type: [String], default: undefined }, workdays: { type: [String], default: undefined } },
  { versionKey: false, timestamps: true },
);
export const CaseCalendar = model('CaseCalendar', calendarSchema, 'case_calendars');

/**
 * The escalation sweep's lease: one document per minute window, inserted by the
 * instance that runs that window's sweep (a unique insert, so one instance per
 * window), kept a day for the record.
 */
const leaseSchema = new Schema({ _id: { type: String, required: true }, holder: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const SchedulerLease = model('SchedulerLease', leaseSchema, 'scheduler_leases');

/** Case numbers: one counter per community and day, bumped by a guarded $inc. */
const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, default: 0 } }, { versionKey: false });
export const CaseCounter = model('CaseCounter', counterSchema, 'case_counters');
