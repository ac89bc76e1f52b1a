import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { bindingOwnerMatches, bindingRelations, bindingReviewPaths, bindingStatuses } from '@community/shared';

type WithId<T> = T & { _id: Types.ObjectId };
const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const communitySchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    district: { type: String, default: '' },
    /** Set when the demo seed finished (development only). */
    seededAt: { type: Date, default: null },
  },
  options,
);
export const Community = model('Community', communitySchema, 'communities');
export type CommunityDoc = WithId<InferSchemaType<typeof communitySchema>>;

const gridSchema = new Schema(
  {
    communityId: ref,
    code: { type: String, required: true },
    name: { type: String, required: true },
  },
  options,
);
gridSchema.index({ communityId: 1, code: 1 }, { unique: true });
export const Grid = model('Grid', gridSchema, 'grids');
export type GridDoc = WithId<InferSchemaType<typeof gridSchema>>;

const propertyCompanySchema = new Schema({ communityId: ref, name: { type: String, required: true } }, options);
propertyCompanySchema.index({ communityId: 1, name: 1 }, { unique: true });
export const PropertyCompany = model('PropertyCompany', propertyCompanySchema, 'property_companies');
export type PropertyCompanyDoc = WithId<InferSchemaType<typeof propertyCompanySchema>>;

const buildingSchema = new Schema(
  {
    communityId: ref,
    gridId: ref,
    name: { type: String, required: true },
    sortKey: { type: Number, default: 0 },
    propertyCompanyId: { type: Schema.Types.ObjectId, default: null },
  },
  options,
);
buildingSchema.index({ communityId: 1, name: 1 }, { unique: true });
buildingSchema.index({ communityId: 1, sortKey: 1 });
export const Building = model('Building', buildingSchema, 'buildings');
export type BuildingDoc = WithId<InferSchemaType<typeof buildingSchema>>;

const unitSchema = new Schema(
  { communityId: ref, buildingId: ref, name: { type: String, required: true }, sortKey: { type: Number, default: 0 } },
  options,
);
unitSchema.index({ buildingId: 1, name: 1 }, { unique: true });
export const Unit = model('Unit', unitSchema, 'units');
export type UnitDoc = WithId<InferSchemaType<typeof unitSchema>>;

const roomSchema = new Schema(
  {
    communityId: ref,
    gridId: ref,
    buildingId: ref,
    unitId: ref,
    number: { type: String, required: true },
    floor: { type: Number, required: true },
    /** Exclusive area (专有部分面积) in 0.01 m², an integer: art. 278 counts use it exactly. */
    areaCentiSquareMetres: { type: Number, required: true, min: 1 },
    label: { type: String, required: true },
  },
  options,
);
roomSchema.index({ unitId: 1, number: 1 }, { unique: true });
roomSchema.index({ buildingId: 1 });
export const Room = model('Room', roomSchema, 'rooms');
export type RoomDoc = WithId<InferSchemaType<typeof roomSchema>>;

/**
 * The owner register (from the property register import), apart from app
 * accounts: a person owning several rooms is one owner (one `key`); all unsold
 * rooms of the developer belong to one developer owner. Art. 278 headcount
 * counts owners, not rooms.
 */
const ownerSchema = new Schema(
  {
    communityId: ref,
    key: { type: String, required: true },
    name: { type: String, required: true },
    phone: { type: String, default: null },
    kind: { type: String, enum: ['person', 'developer'], required: true },
  },
  options,
);
ownerSchema.index({ communityId: 1, key: 1 }, { unique: true });
export const Owner = model('Owner', ownerSchema, 'owners');
export type OwnerDoc = WithId<InferSchemaType<typeof ownerSchema>>;

const roomOwnerSchema = new Schema({ communityId: ref, roomId: ref, ownerId: ref }, options);
roomOwnerSchema.index({ roomId: 1, ownerId: 1 }, { unique: true });
roomOwnerSchema.index({ ownerId: 1 });
export const RoomOwner = model('RoomOwner', roomOwnerSchema, 'room_owners');

/**
 * A person's link to a room. `activeKey` is `userId:roomId` while the binding is
 * pending or approved and `closed:<id>` afterwards: a plain unique index on it
 * allows one live binding per person and room without partial indexes (which
 * FerretDB lacks).
 */
const bindingSchema = new Schema(
  {
    communityId: ref,
    gridId: ref,
    buildingId: ref,
    roomId: ref,
    /**
     * Copied from the room when the binding is made: lists and /me then need no
     * second query (FerretDB answers `_id: {$in}` by scanning the whole rooms
     * collection: 24 ms for 600 rooms, docs/database-facts.md).
     */
    roomLabel: { type: String, required: true },
    userId: ref,
    relation: { type: String, enum: bindingRelations, required: true },
    status: { type: String, enum: bindingStatuses, required: true },
    realName: { type: String, required: true },
    note: { type: String, default: null },
    reason: { type: String, default: null },
    via: { type: String, enum: ['request', 'invitation', 'import'], required: true },
    decidedBy: { type: Schema.Types.ObjectId, default: null },
    decidedAt: { type: Date, default: null },
    activeKey: { type: String, required: true, unique: true },
    /** How an owner claim matched the owner register (null for family and tenants). */
    ownerMatch: { type: String, enum: [...bindingOwnerMatches, null], default: null },
    reviewPath: { type: String, enum: bindingReviewPaths, default: 'staff' },
    /** The number WeChat vouched for when the person applied (never one typed by hand). */
    applicantPhone: { type: String, default: null },
    /** A staff member claiming a room as owner never passes with one reviewer. */
    applicantIsStaff: { type: Boolean, default: false },
    /** The first of two approvals of a two-staff claim (待复核); decidedBy/At are the second. */
    firstApprovedBy: { type: Schema.Types.ObjectId, default: null },
    firstApprovedAt: { type: Date, default: null },
  },
  options,
);
bindingSchema.index({ userId: 1, status: 1 });
bindingSchema.index({ communityId: 1, status: 1, _id: 1 });
export const Binding = model('Binding', bindingSchema, 'bindings');
export type BindingDoc = WithId<InferSchemaType<typeof bindingSchema>>;

const invitationSchema = new Schema(
  {
    communityId: ref,
    roomId: ref,
    codeHash: { type: String, required: true, unique: true },
    relation: { type: String, enum: bindingRelations, required: true },
    realName: { type: String, required: true },
    createdBy: ref,
    expiresAt: { type: Date, required: true },
    redeemedBy: { type: Schema.Types.ObjectId, default: null },
    redeemedAt: { type: Date, default: null },
  },
  options,
);
export const Invitation = model('Invitation', invitationSchema, 'invitations');
