import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { authorityScopes } from '@community/shared';

/**
 * A resident's authority for someone else to act for them (S5): scoped,
 * time-limited, revocable. Acts under it are recorded on what they produce
 * (a booking's actedBy) and announced in the resident's inbox.
 */
const authoritySchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    grantorId: { type: Schema.Types.ObjectId, required: true },
    granteeId: { type: Schema.Types.ObjectId, required: true },
    scopes: { type: [String], enum: authorityScopes, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
authoritySchema.index({ grantorId: 1, granteeId: 1 });
authoritySchema.index({ granteeId: 1 });
export const Authority = model('Authority', authoritySchema, 'authorities');
export type AuthorityDoc = InferSchemaType<typeof authoritySchema> & { _id: Types.ObjectId; createdAt?: Date };
