import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { maskIdNumber, maskName, shanghaiDate, toShanghaiIso, type CertificateVerification } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import { knownNamesFor } from '../../privacy/community-names.js';
import { scrubPublicText } from '../../privacy/scrub.js';
import type { Actor } from '../../http/types.js';
import { Campaign, Nomination } from '../activity/campaigns.js';
import { Activity, Signup, type ActivityDoc, type SignupDoc } from '../activity/models.js';
import type { createVolunteerProfiles } from '../activity/profile.js';
import type { NotificationService } from '../notification/service.js';
import { Binding, Community, type BindingDoc, type CommunityDoc } from '../space/models.js';
import { Certificate, CertificateCounter, type CertificateDoc } from './models.js';
import { renderCertificatePdf } from './pdf.js';

export type CertificateService = ReturnType<typeof createCertificateService>;

interface Deps {
  volunteerProfiles: ReturnType<typeof createVolunteerProfiles>;
  notifications: NotificationService;
  /** The H5 app's address (PUBLIC_H5_URL); null: the origin the API was reached at. */
  publicH5Url: string | null;
}

const isOrganiser = (actor: Actor) => actor.roles.some((r) => r === 'community_staff' || r === 'admin');
const nameOf = (actor: Actor) => actor.profile.displayName ?? actor.profile.nickname;
/** The H5 核验 page (readable by anyone, no sign-in); the JSON behind it is GET /api/v1/certificates/{serial}. */
export const verifyPagePath = (serial: string) => `/#/volunteer/verify/index?serial=${serial}`;
const downloadPath = (serial: string) => `/api/v1/certificates/${serial}/pdf`;
/** GB 11643: the 17th digit is odd for men, even for women. */
const genderOf = (idNumber: string | null) => (idNumber ? (Number(idNumber[16]) % 2 === 1 ? '男' : '女') : null);

export function createCertificateService({ volunteerProfiles, notifications, publicH5Url }: Deps) {
  const verifyUrl = (serial: string, origin: string) => `${publicH5Url ?? origin}${verifyPagePath(serial)}`;
  /** ZYFW-<year>-<n>: `$inc` on the year's counter hands each number out once, whatever races. */
  async function nextSerial(now: Date): Promise<string> {
    const year = shanghaiDate(now).slice(0, 4);
    for (let attempt = 0; ; attempt++) {
      try {
        const counter = await CertificateCounter.findOneAndUpdate({ _id: `ZYFW-${year}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<{ seq: number }>();
        return `ZYFW-${year}-${String(counter!.seq).padStart(6, '0')}`;
      } catch (error) {
        // Two first-of-the-year upserts: one inserts, the other meets the unique _id and simply increments next time.
        if (!isDuplicateKey(error) || attempt >= 2) throw error;
      }
    }
  }

  /** The real name as staff checked it on the room binding; else the volunteer profile; else the sign-up name. */
  async function realNameOf(actor: Actor, signups: SignupDoc[]): Promise<string> {
    const binding = await Binding.findOne({ userId: new Types.ObjectId(actor.id), status: 'approved' }).sort({ _id: -1 }).lean<BindingDoc>();
    if (binding?.realName) return binding.realName;
    const profile = await volunteerProfiles.get(actor);
    if (profile?.realName) return profile.realName;
    return signups.at(-1)?.residentName ?? nameOf(actor);
  }

  /** Each sign-up whose hours the organiser confirmed (more than zero), oldest first. */
  async function servicesOf(userId: Types.ObjectId, communityId: Types.ObjectId) {
    const signups = await Signup.find({ residentId: userId, communityId, confirmedMinutes: { $gt: 0 } }).sort({ _id: 1 }).lean<SignupDoc[]>();
    // One key lookup per sign-up: FerretDB answers `_id: {$in}` by reading the whole collection (docs/database-facts.md).
    const services = [];
    for (const s of signups) {
      const activity = await Activity.findById(s.activityId).select({ title: 1, organiser: 1, startAt: 1 }).lean<ActivityDoc>();
      services.push({
        signupId: s._id,
        startAt: activity?.startAt ?? s.createdAt,
        date: shanghaiDate(activity?.startAt ?? s.createdAt),
        activityTitle: activity?.title ?? s.activityTitle,
        organiser: activity?.organiser ?? '',
        minutes: s.confirmedMinutes!,
      });
    }
    services.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
    return { signups, services: services.map(({ startAt: _startAt, ...rest }) => rest) };
  }

  /** Honours that are certainly this person's: their own (自荐) nominations on a published honour roll. */
  async function awardsOf(userId: Types.ObjectId, communityId: Types.ObjectId) {
    const mine = await Nomination.find({ nominatedBy: userId, communityId, kind: 'self', status: 'accepted' }).lean();
    const awards: { title: string; date: string }[] = [];
    for (const campaignId of new Set(mine.map((n) => n.campaignId.toHexString()))) {
      const campaign = await Campaign.findById(campaignId).lean();
      if (!campaign || campaign.stage !== 'published' || !campaign.publishedAt) continue;
      for (const entry of campaign.honourRoll ?? []) {
        if (mine.some((n) => entry.nominationId?.equals(n._id))) awards.push({ title: `${campaign.title}·${entry.category}`, date: shanghaiDate(campaign.publishedAt) });
      }
    }
    return awards.sort((a, b) => a.date.localeCompare(b.date));
  }

  async function load(serial: string): Promise<CertificateDoc> {
    const c = await Certificate.findOne({ serial }).lean<CertificateDoc>();
    if (!c) throw new AppError('NOT_FOUND', '没有找到这个编号的志愿服务记录证明');
    return c;
  }

  const status = (c: CertificateDoc) => (c.revokedAt ? ('revoked' as const) : ('valid' as const));

  /**
   * Public: anyone holding the serial number checks it. The name is masked; no
   * ID number, no phone. The revocation reason is staff's free text and may
   * name the volunteer or someone else: it is scrubbed like every public text.
   */
  async function verify(serial: string): Promise<CertificateVerification> {
    const c = await load(serial);
    const revoked = status(c) === 'revoked';
    const names = await knownNamesFor(c.communityId, [c.realName, c.revokedByName]);
    const publicText = (text: string) => scrubPublicText(text, names);
    const reason = c.revokedReason ? publicText(c.revokedReason) : null;
    return {
      serial: c.serial,
      status: status(c),
      statusText: revoked ? `已撤销（${shanghaiDate(c.revokedAt!)}${reason ? `：${reason}` : ''}）` : '有效',
      name: maskName(c.realName),
      issuedOn: shanghaiDate(c.issuedAt),
      issuer: c.issuer,
      totalMinutes: c.totalMinutes,
      totalHours: Math.round((c.totalMinutes * 100) / 60) / 100,
      serviceCount: c.serviceCount,
      services: c.services.map((s) => ({ date: s.date, activityTitle: publicText(s.activityTitle), organiser: publicText(s.organiser), minutes: s.minutes })),
      revokedOn: c.revokedAt ? shanghaiDate(c.revokedAt) : null,
      revokedReason: reason,
    };
  }

  return {
    /**
     * Issues a certificate of the caller's confirmed service so far. Asking again
     * for the same record returns the certificate already issued (created: false).
     */
    async issue(actor: Actor, body: { idNumber?: string | undefined }, origin: string, now = new Date()) {
      if (!actor.communityId) throw new AppError('CERTIFICATE_NOTHING_TO_CERTIFY');
      const userId = new Types.ObjectId(actor.id);
      const communityId = new Types.ObjectId(actor.communityId);
      const { signups, services } = await servicesOf(userId, communityId);
      if (services.length === 0) throw new AppError('CERTIFICATE_NOTHING_TO_CERTIFY');
      const community = await Community.findById(communityId).lean<CommunityDoc>();
      if (!community) throw new AppError('NOT_FOUND', '没有找到您所在的社区');
      const realName = await realNameOf(actor, signups);
      const idNumber = body.idNumber ?? (await volunteerProfiles.idNumberOf(actor.id));
      const awards = await awardsOf(userId, communityId);
      const fingerprint = createHash('sha256')
        .update(JSON.stringify({ realName, idNumber, services, awards, community: community.name }))
        .digest('hex')
        .slice(0, 32);
      const issueKey = `${actor.id}:${fingerprint}`;

      const reply = (c: CertificateDoc, created: boolean) => ({
        serial: c.serial,
        verifyUrl: verifyUrl(c.serial, origin),
        downloadUrl: downloadPath(c.serial),
        issuedAt: toShanghaiIso(c.issuedAt),
        totalMinutes: c.totalMinutes,
        serviceCount: c.serviceCount,
        created,
      });
      const existing = await Certificate.findOne({ issueKey }).lean<CertificateDoc>();
      if (existing) return reply(existing, false);

      const serial = await nextSerial(now);
      try {
        const created = await Certificate.create({
          serial,
          communityId,
          userId,
          realName,
          idNumber: idNumber ?? null,
          gender: genderOf(idNumber ?? null),
          communityName: community.name,
          issuer: `${community.name}新时代文明实践站`,
          services,
          totalMinutes: services.reduce((s, x) => s + x.minutes, 0),
          serviceCount: services.length,
          // No training or evaluation records exist yet: the certificate says 无 rather than inventing any.
          training: [],
          awards,
          evaluation: [],
          issueKey,
          issuedAt: now,
        });
        return reply(created.toObject() as CertificateDoc, true);
      } catch (error) {
        // The same request racing itself: the other one issued it (this serial number stays unused).
        if (!isDuplicateKey(error)) throw error;
        const winner = await Certificate.findOne({ issueKey }).lean<CertificateDoc>();
        if (!winner) throw error;
        return reply(winner, false);
      }
    },

    async mine(actor: Actor, origin: string) {
      const docs = await Certificate.find({ userId: new Types.ObjectId(actor.id) }).sort({ issuedAt: -1 }).limit(100).lean<CertificateDoc[]>();
      return docs.map((c) => ({
        serial: c.serial,
        status: status(c),
        issuedAt: toShanghaiIso(c.issuedAt),
        issuer: c.issuer,
        totalMinutes: c.totalMinutes,
        serviceCount: c.serviceCount,
        idNumberMasked: maskIdNumber(c.idNumber),
        revokedAt: c.revokedAt ? toShanghaiIso(c.revokedAt) : null,
        revokedReason: c.revokedReason ?? null,
        verifyUrl: verifyUrl(c.serial, origin),
        downloadUrl: downloadPath(c.serial),
      }));
    },

    /** The printable PDF: for its owner and the staff of the issuing community; anyone else learns nothing (404). */
    async pdf(actor: Actor, serial: string, origin: string): Promise<Buffer> {
      const c = await load(serial);
      const mine = c.userId.toHexString() === actor.id;
      const staff = isOrganiser(actor) && actor.communityId === c.communityId.toHexString();
      if (!mine && !staff) throw new AppError('NOT_FOUND', '没有找到这个编号的志愿服务记录证明');
      return renderCertificatePdf({
        serial: c.serial,
        realName: c.realName,
        gender: c.gender ?? null,
        idNumber: c.idNumber ?? null,
        communityName: c.communityName,
        issuer: c.issuer,
        services: c.services.map((s) => ({ date: s.date, activityTitle: s.activityTitle, organiser: s.organiser, minutes: s.minutes })),
        totalMinutes: c.totalMinutes,
        training: c.training ?? [],
        awards: (c.awards ?? []).map((a) => ({ title: a.title ?? '', date: a.date ?? '' })),
        evaluation: c.evaluation ?? [],
        issuedAt: c.issuedAt,
        issuedOn: shanghaiDate(c.issuedAt),
        verifyUrl: verifyUrl(c.serial, origin),
        revoked: c.revokedAt ? { on: shanghaiDate(c.revokedAt), reason: c.revokedReason ?? '' } : null,
      });
    },

    verify,

    /** Staff of the issuing community revoke, with a reason that verification shows; the volunteer is told. */
    async revoke(actor: Actor, serial: string, reason: string, now = new Date()): Promise<CertificateVerification> {
      const c = await load(serial);
      if (actor.communityId !== c.communityId.toHexString()) throw new AppError('NOT_FOUND', '没有找到这个编号的志愿服务记录证明');
      const done = await Certificate.updateOne(
        { _id: c._id, revokedAt: null },
        { $set: { revokedAt: now, revokedReason: reason, revokedBy: new Types.ObjectId(actor.id), revokedByName: nameOf(actor), issueKey: `revoked:${c.serial}` } },
      );
      if (done.modifiedCount === 0) throw new AppError('CERTIFICATE_REVOKED');
      await notifications.notify(c.userId.toHexString(), {
        kind: 'activity',
        title: '志愿服务记录证明已撤销',
        body: `编号${c.serial}的证明已撤销：${reason}。如有疑问请联系社区。`,
        link: '/volunteer/me/index',
      });
      return verify(serial);
    },
  };
}
