import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { ballotChannels, pollCountingUnits, pollQuestionKinds, pollStatuses } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId };
type WithStringId<T> = T & { _id: string };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const questionSchema = new Schema(
  {
    title: { type: String, required: true },
    kind: { type: String, enum: pollQuestionKinds, required: true },
    options: { type: [String], default: undefined },
    minPicks: { type: Number, required: true },
    maxPicks: { type: Number, required: true },
    matter: { type: Number, default: null },
  },
  { _id: false },
);

const pollSchema = new Schema(
  {
    communityId: ref,
    title: { type: String, required: true },
    description: { type: String, default: '' },
    questions: { type: [questionSchema], required: true },
    opensAt: { type: Date, required: true },
    closesAt: { type: Date, required: true },
    status: { type: String, enum: pollStatuses, required: true },
    countingUnit: { type: String, enum: pollCountingUnits, required: true },
    secrecy: { type: String, enum: ['secret', 'named'], required: true },
    resultVisibility: { type: String, enum: ['after_close', 'live'], required: true },
    scope: { kind: { type: String, required: true }, ids: { type: [Schema.Types.ObjectId], default: undefined } },
    scopeLabel: { type: String, required: true },
    noticeDays: { type: Number, required: true },
    topicId: { type: Schema.Types.ObjectId, default: null },
    createdBy: ref,
    openedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    /** Fixed when the poll opens: the roll's totals and the chain's genesis, which commits to them. */
    roll: {
      heads: { type: Number, default: 0 },
      area: { type: Number, default: 0 },
      definition: { type: String, default: null },
      genesis: { type: String, default: null },
    },
    /** Live counters for the participation bar (the close recounts from the records). */
    turnout: { heads: { type: Number, default: 0 }, area: { type: Number, default: 0 } },
    /** The sealed end of the chain; advanced only by a guarded update from the previous head. */
    head: { seq: { type: Number, default: 0 }, hash: { type: String, default: null } },
    /** The published tally (JSON of PollResultView.questions) and the chain head it was computed from. */
    result: { type: String, default: null },
    /** How many ballots the published tally counted (a secret poll's chain holds batches, not ballots). */
    resultBallots: { type: Number, default: null },
    resultHead: { type: String, default: null },
    publishedAt: { type: Date, default: null },
    noticeUntil: { type: Date, default: null },
    lastRemindedAt: { type: Date, default: null },
  },
  options,
);
pollSchema.index({ communityId: 1, status: 1, closesAt: 1 });
export const Poll = model('Poll', pollSchema, 'polls');
export type PollDoc = WithId<Omit<InferSchemaType<typeof pollSchema>, 'scope'>> & { scope: { kind: string; ids?: Types.ObjectId[] | null } };

/**
 * The electoral roll as fixed when the poll opened, one document per voting
 * unit, `_id` = `<pollId>|<unitKey>` so a unit is found without a scan.
 */
const rollEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    pollId: ref,
    unitKey: { type: String, required: true },
    label: { type: String, required: true },
    /** Owner names (owner votes) or the resident's name (person votes); staff only. */
    holder: { type: String, default: '' },
    areaCenti: { type: Number, required: true },
    heads: { type: Number, required: true },
    gridIds: { type: [Schema.Types.ObjectId], default: undefined },
    roomIds: { type: [Schema.Types.ObjectId], default: undefined },
    /** Person votes: the one account that holds this ballot. */
    userId: { type: Schema.Types.ObjectId, default: null },
  },
  { versionKey: false },
);
rollEntrySchema.index({ pollId: 1 });
export const RollEntry = model('PollRollEntry', rollEntrySchema, 'poll_roll');
export type RollEntryDoc = InferSchemaType<typeof rollEntrySchema> & { _id: string };

/** `<pollId>|r:<roomId>` → the unit that room belongs to in this poll (room and owner votes). */
const rollRoomSchema = new Schema(
  { _id: { type: String, required: true }, pollId: ref, unitKey: { type: String, required: true } },
  { versionKey: false },
);
export const RollRoom = model('PollRollRoom', rollRoomSchema, 'poll_roll_rooms');

/**
 * "Has voted": one per unit, whatever the channel (`_id` = `<pollId>|<unitKey>`,
 * so a second ballot of any channel is a duplicate key). Holds no choice; for a
 * secret poll not even the time of day, so it cannot be matched to the ballot by
 * order or clock.
 */
const participationSchema = new Schema(
  {
    _id: { type: String, required: true },
    pollId: ref,
    unitKey: { type: String, required: true },
    channel: { type: String, enum: ballotChannels, required: true },
    /** Who cast it: the voter, a family member with authority, or the staff member who entered a paper ballot. */
    castBy: ref,
    forResidentId: { type: Schema.Types.ObjectId, default: null },
    /** Secret polls: the Shanghai date only. Named polls: the instant. */
    castOn: { type: String, required: true },
    castAt: { type: Date, default: null },
    /** An upload id: random hex, or an ObjectId for ballots entered before uploads got random ids. */
    /** The upload id of the photo behind a paper or door ballot (held by `paperEvidenceHolder`, service.ts). */
    evidenceId: { type: Schema.Types.Mixed, default: null },
    note: { type: String, default: '' },
    areaCenti: { type: Number, required: true },
    heads: { type: Number, required: true },
    gridIds: { type: [Schema.Types.ObjectId], default: undefined },
  },
  { versionKey: false },
);
participationSchema.index({ pollId: 1 });
export const Participation = model('PollParticipation', participationSchema, 'poll_participations');
export type ParticipationDoc = WithStringId<InferSchemaType<typeof participationSchema>>;

/**
 * A cast ballot. `_id` is a keyed hash of poll and unit (unreadable without the
 * server's ballot key), so a retried cast writes the same document and nothing
 * in the database links it to a voter.
 *
 * Secret polls: only `pollId`, `sealed` (the AES-GCM ciphertext of a fixed-length
 * payload, chain.ts) and `receiptHash` — no answers, weight, channel or time — and
 * the document is deleted once its batch is in the chain at the close.
 * Named polls: the plain fields and the unit key (staff see who chose what; the
 * register is the record), kept after sealing with the place it was sealed at.
 * No timestamps on purpose: the time of a ballot would pair it with its voter.
 */
const ballotSchema = new Schema(
  {
    _id: { type: String, required: true },
    pollId: ref,
    receiptHash: { type: String, required: true },
    sealed: { type: String },
    /** Named: canonical JSON of each question's chosen option indexes (see chain.ts). */
    answers: { type: String },
    area: { type: Number },
    heads: { type: Number },
    channel: { type: String, enum: ballotChannels },
    unitKey: { type: String },
    sealedSeq: { type: Number },
  },
  { versionKey: false },
);
ballotSchema.index({ pollId: 1, sealedSeq: 1 });
ballotSchema.index({ pollId: 1, receiptHash: 1 });
export const Ballot = model('PollBallot', ballotSchema, 'poll_ballots');
export type BallotDoc = InferSchemaType<typeof ballotSchema> & { _id: string };

/**
 * The append-only chain: `_id` = `<pollId>|<seq>` (zero-padded) makes each place
 * in the chain a unique insert, so two sealers can never fork it. An entry is one
 * batch (chain.ts: totals, per-option sums, receipt hashes; named polls also the
 * ballot rows), stored as its canonical JSON. `ballotId` is unique: a named
 * ballot's id, so no ballot is sealed twice; for a secret batch `batch:<_id>`
 * (the batch's ballots are kept from a second sealing by deleting them first).
 */
const chainEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    pollId: ref,
    seq: { type: Number, required: true },
    prev: { type: String, required: true },
    hash: { type: String, required: true },
    ballotId: { type: String, required: true, unique: true },
    content: { type: String, required: true },
  },
  { versionKey: false },
);
chainEntrySchema.index({ pollId: 1, seq: 1 });
export const ChainEntry = model('PollChainEntry', chainEntrySchema, 'poll_chain');
export type ChainEntryDoc = InferSchemaType<typeof chainEntrySchema> & { _id: string };

/**
 * `_id` = sha256 of the receipt code: the code finds its poll, the database
 * cannot find the code (and so neither the ballot's place nor the voter).
 */
const receiptSchema = new Schema(
  { _id: { type: String, required: true }, pollId: ref },
  { versionKey: false },
);
export const Receipt = model('PollReceipt', receiptSchema, 'poll_receipts');

const objectionSchema = new Schema(
  {
    pollId: ref,
    communityId: ref,
    userId: ref,
    text: { type: String, required: true },
    answer: { type: String, default: null },
    answeredBy: { type: Schema.Types.ObjectId, default: null },
    answeredAt: { type: Date, default: null },
  },
  options,
);
objectionSchema.index({ pollId: 1 });
export const Objection = model('PollObjection', objectionSchema, 'poll_objections');
export type ObjectionDoc = WithId<InferSchemaType<typeof objectionSchema>>;
