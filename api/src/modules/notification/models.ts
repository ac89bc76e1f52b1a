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

/**
 * The consent ledger of WeChat subscribe messages: each "allow" the person taps
 * in wx.requestSubscribeMessage is one credit for one template, and one send
 * spends one (WeChat's rule). A 43101 answer means WeChat holds no consent: the
 * credits are set to zero and the send is not retried.
 */
const subscribeCreditSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    credits: { type: Number, default: 0 },
    refusedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
export const SubscribeCredit = model('SubscribeCredit', subscribeCreditSchema, 'subscribe_credits');

/**
 * Subscribe messages waiting to go out. Kept in the database so they survive an
 * API restart; a sender claims one with a lease, and a lease that ran out (the
 * instance died mid-send) is claimed again.
 */
const outboundSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    page: { type: String, default: null },
    data: { type: Schema.Types.Mixed, required: true },
    state: { type: String, enum: ['queued', 'sending', 'sent', 'refused', 'failed'], default: 'queued' },
    attempts: { type: Number, default: 0 },
    nextAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    sentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
outboundSchema.index({ state: 1, nextAt: 1 });
export const OutboundMessage = model('OutboundMessage', outboundSchema, 'outbound_messages');
