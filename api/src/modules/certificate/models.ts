import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const ref = { type: Schema.Types.ObjectId, required: true } as const;

/**
 * 志愿服务记录证明 (民政部令第67号): a snapshot taken when it is issued. The
 * services, totals and names never change afterwards; only a revocation is
 * added. The full ID number is kept for the printed certificate alone and
 * never leaves the API in JSON.
 */
const serviceSchema = new Schema(
  {
    signupId: ref,
    /** 'YYYY-MM-DD' of the activity's start, Shanghai. */
    date: { type: String, required: true },
    activityTitle: { type: String, required: true },
    organiser: { type: String, required: true },
    minutes: { type: Number, required: true },
  },
  { _id: false },
);

const certificateSchema = new Schema(
  {
    /** ZYFW-<year>-<six digits>, from the per-year counter below. */
    serial: { type: String, required: true, unique: true },
    communityId: ref,
    userId: ref,
    realName: { type: String, required: true },
    idNumber: { type: String, default: null },
    /** From the ID number's 17th digit (GB 11643); null without one. */
    gender: { type: String, default: null },
    communityName: { type: String, required: true },
    issuer: { type: String, required: true },
    services: { type: [serviceSchema], required: true },
    totalMinutes: { type: Number, required: true },
    serviceCount: { type: Number, required: true },
    training: { type: [String], default: undefined },
    awards: { type: [{ _id: false, title: String, date: String }], default: undefined },
    evaluation: { type: [String], default: undefined },
    /**
     * `<userId>:<hash of the snapshot>` while valid, `revoked:<serial>` after:
     * asking twice for the same record gets the same certificate, even when
     * the two requests race (a unique index, as `activeKey` elsewhere).
     */
    issueKey: { type: String, required: true, unique: true },
    issuedAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    revokedBy: { type: Schema.Types.ObjectId, default: null },
    revokedByName: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
certificateSchema.index({ userId: 1, issuedAt: -1 });
export const Certificate = model('VolunteerCertificate', certificateSchema, 'volunteer_certificates');
export type CertificateDoc = InferSchemaType<typeof certificateSchema> & { _id: Types.ObjectId };

/** One document per year; `$inc` on it hands out each serial number once. */
const counterSchema = new Schema({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { versionKey: false });
export const CertificateCounter = model('CertificateCounter', counterSchema, 'certificate_counters');
