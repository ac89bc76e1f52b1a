import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** The in-app inbox: every notice a person gets lands here, whether or not WeChat could also deliver it. */
const messageSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    link: { type: String, default: null },
    readAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
messageSchema.index({ userId: 1, _id: -1 });
messageSchema.index({ userId: 1, readAt: 1 });
export const Message = model('Message', messageSchema, 'inbox_messages');
export type MessageDoc = InferSchemaType<typeof messageSchema> & { _id: Types.ObjectId };
