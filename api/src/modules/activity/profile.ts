import { Schema, model, type InferSchemaType } from 'mongoose';
import { maskIdNumber, type VolunteerProfileBody } from '@community/shared';
import type { Actor } from '../../http/types.js';

/**
 * The volunteer's profile, keyed by user. The ID number is kept only for the
 * service certificate (民政部令第67号 asks for it there) and leaves the API
 * masked everywhere else.
 */
const profileSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    realName: { type: String, required: true },
    idNumber: { type: String, default: null },
    skills: { type: [String], default: undefined },
    availability: { type: [String], default: undefined },
  },
  { timestamps: true, versionKey: false },
);
export const VolunteerProfile = model('VolunteerProfile', profileSchema, 'volunteer_profiles');
export type VolunteerProfileDoc = InferSchemaType<typeof profileSchema>;

const view = (p: VolunteerProfileDoc) => ({
  realName: p.realName,
  idNumberMasked: maskIdNumber(p.idNumber),
  skills: p.skills ?? [],
  availability: (p.availability ?? []) as ('weekday_day' | 'weekday_evening' | 'weekend_day' | 'weekend_evening')[],
});

export type VolunteerProfiles = ReturnType<typeof createVolunteerProfiles>;

export function createVolunteerProfiles() {
  return {
    async get(actor: Actor) {
      const p = await VolunteerProfile.findById(actor.id).lean<VolunteerProfileDoc>();
      return p ? view(p) : null;
    },
    /** Saves the profile; an omitted ID number keeps the one on file. */
    async save(actor: Actor, body: VolunteerProfileBody) {
      const set: Record<string, unknown> = { realName: body.realName, skills: body.skills, availability: body.availability };
      if (body.idNumber) set.idNumber = body.idNumber;
      const p = await VolunteerProfile.findOneAndUpdate({ _id: actor.id }, { $set: set }, { upsert: true, returnDocument: 'after' }).lean<VolunteerProfileDoc>();
      return view(p!);
    },
    /** For the certificate, and the birth date in it for an activity's age limits. */
    async idNumberOf(userId: string): Promise<string | null> {
      return (await VolunteerProfile.findById(userId).select({ idNumber: 1 }).lean<VolunteerProfileDoc>())?.idNumber ?? null;
    },
  };
}
