import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const uploadSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, default: null },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    /** private: the uploader and staff; community: every signed-in member of the community (a topic's photos). */
    visibility: { type: String, enum: ['private', 'community'], default: 'private' },
  },
  { timestamps: true, versionKey: false },
);
uploadSchema.index({ ownerId: 1, createdAt: -1 });
export const Upload = model('Upload', uploadSchema, 'uploads');
export type UploadDoc = InferSchemaType<typeof uploadSchema> & { _id: Types.ObjectId; createdAt: Date };
