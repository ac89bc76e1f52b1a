import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const uploadSchema = new Schema(
  {
    /**
     * 32 random hex characters (128 bits), so a photo cannot be found by
     * guessing. Photos uploaded before that keep their ObjectId: Mixed, so
     * both are looked up as they are stored.
     */
    _id: { type: Schema.Types.Mixed, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true },
    communityId: { type: Schema.Types.ObjectId, default: null },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    /**
     * The one object the photo belongs to, `<kind>:<id>` (case:…, topic:…,
     * nomination:…), null until its uploader sends the form. Set once by a
     * guarded update: a photo cannot be moved or shared into a second object,
     * whose audience its uploader never chose.
     */
    heldBy: { type: String, default: null },
    heldAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
uploadSchema.index({ ownerId: 1, createdAt: -1 });
export const Upload = model('Upload', uploadSchema, 'uploads');
export type UploadDoc = Omit<InferSchemaType<typeof uploadSchema>, '_id'> & { _id: string | Types.ObjectId; createdAt: Date };
