import { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { toShanghaiIso, type CampaignCreateBody, type CampaignStage, type CampaignView, type NominationBody } from '@community/shared';
import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { NotificationService } from '../notification/service.js';
import type { PollService } from '../poll/service.js';
import { photoIdOf, type PhotoHolder, type UploadService } from '../upload/service.js';
import type { ModerationVerdict } from '../topic/moderation.js';

const options = { timestamps: true, versionKey: false } as const;
const ref = { type: Schema.Types.ObjectId, required: true } as const;

const campaignSchema = new Schema(
  {
    communityId: ref,
    createdBy: ref,
    title: { type: String, required: true },
    description: { type: String, default: '' },
    categories: { type: [String], required: true },
    nominateUntil: { type: Date, required: true },
    noticeDays: { type: Number, required: true },
    noticeUntil: { type: Date, default: null },
    decision: { type: String, enum: ['vote', 'panel'], required: true },
    winnersPerCategory: { type: Number, required: true },
    stage: { type: String, required: true },
    pollId: { type: Schema.Types.ObjectId, default: null },
    honourRoll: { type: [{ _id: false, category: String, nomineeName: String, nominationId: Schema.Types.ObjectId }], default: undefined },
    publishedAt: { type: Date, default: null },
  },
  options,
);
export const Campaign = model('Campaign', campaignSchema, 'campaigns');
type CampaignDoc = InferSchemaType<typeof campaignSchema> & { _id: Types.ObjectId };

const nominationSchema = new Schema(
  {
    campaignId: ref,
    communityId: ref,
    category: { type: String, required: true },
    kind: { type: String, enum: ['self', 'neighbour', 'family'], required: true },
    nomineeName: { type: String, required: true },
    reason: { type: String, required: true },
    /** Upload ids (random hex; ObjectIds from before), attached to this nomination and served through the campaign. */
    photoIds: { type: [Schema.Types.Mixed], default: undefined },
    nominatedBy: ref,
    verdict: { type: String, required: true },
    status: { type: String, enum: ['submitted', 'accepted', 'rejected'], default: 'submitted' },
    reviewNote: { type: String, default: null },
  },
  options,
);
nominationSchema.index({ campaignId: 1, status: 1 });
export const Nomination = model('Nomination', nominationSchema, 'campaign_nominations');
type NominationDoc = InferSchemaType<typeof nominationSchema> & { _id: Types.ObjectId };

const objectionSchema = new Schema(
  {
    campaignId: ref,
    nominationId: ref,
    userId: ref,
    text: { type: String, required: true },
    answer: { type: String, default: null },
    answeredBy: { type: Schema.Types.ObjectId, default: null },
  },
  options,
);
objectionSchema.index({ campaignId: 1 });
export const CampaignObjection = model('CampaignObjection', objectionSchema, 'campaign_objections');
type ObjectionDoc = InferSchemaType<typeof objectionSchema> & { _id: Types.ObjectId };

const isStaff = (actor: Actor) => actor.roles.some((r) => r === 'community_staff' || r === 'admin');
const photoHolder = (nominationId: Types.ObjectId): PhotoHolder => `nomination:${nominationId.toHexString()}`;

/** Who sees a nomination (and so its photos): the centre, its nominator, and everyone in the community once it is on public notice. */
function nominationShown(c: Pick<CampaignDoc, 'stage'>, n: Pick<NominationDoc, 'nominatedBy' | 'status'>, actor: Actor): boolean {
  const publicStage = c.stage !== 'nominating' && c.stage !== 'reviewing';
  return isStaff(actor) || n.nominatedBy.toHexString() === actor.id || (publicStage && n.status === 'accepted');
}
const NONE = '以上都不选';

export type CampaignService = ReturnType<typeof createCampaignService>;

/**
 * 道德模范 / 文明家庭 / 最美志愿者: nominate → staff review → public notice (≥ 7
 * days) with objections staff must answer → a public vote on the poll engine
 * (one secret ballot per resident) or a panel's appraisal → an honour roll
 * that stays published. Each step is a guarded change of stage.
 */
export function createCampaignService(deps: {
  notifications: NotificationService;
  polls: PollService;
  uploads: UploadService;
  moderate: (actor: Actor, text: string, scene: 2 | 3) => Promise<ModerationVerdict>;
}) {
  const { notifications, polls } = deps;

  async function load(actor: Actor, campaignId: string): Promise<CampaignDoc> {
    const c = await Campaign.findById(campaignId).lean<CampaignDoc>();
    if (!c || c.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这次评选');
    return c;
  }

  async function advance(c: CampaignDoc, from: CampaignStage[], set: Record<string, unknown>): Promise<CampaignDoc> {
    const next = await Campaign.findOneAndUpdate({ _id: c._id, stage: { $in: from } }, { $set: set }, { returnDocument: 'after' }).lean<CampaignDoc>();
    if (!next) throw new AppError('CAMPAIGN_WRONG_STAGE');
    return next;
  }

  async function view(c: CampaignDoc, actor: Actor): Promise<CampaignView> {
    const nominations = await Nomination.find({ campaignId: c._id }).sort({ _id: 1 }).lean<NominationDoc[]>();
    const shown = nominations.filter((n) => nominationShown(c, n, actor));
    const objections = await CampaignObjection.find({ campaignId: c._id }).sort({ _id: 1 }).lean<ObjectionDoc[]>();
    return {
      id: c._id.toHexString(),
      title: c.title,
      description: c.description,
      categories: c.categories,
      nominateUntil: toShanghaiIso(c.nominateUntil),
      noticeDays: c.noticeDays,
      noticeUntil: c.noticeUntil ? toShanghaiIso(c.noticeUntil) : null,
      decision: c.decision,
      winnersPerCategory: c.winnersPerCategory,
      stage: c.stage as CampaignStage,
      pollId: c.pollId?.toHexString() ?? null,
      honourRoll: (c.honourRoll ?? []).map((h) => ({ category: h.category!, nomineeName: h.nomineeName!, nominationId: h.nominationId!.toHexString() })),
      publishedAt: c.publishedAt ? toShanghaiIso(c.publishedAt) : null,
      nominations: shown.map((n) => ({
        id: n._id.toHexString(),
        campaignId: c._id.toHexString(),
        category: n.category,
        kind: n.kind,
        nomineeName: n.nomineeName,
        reason: n.reason,
        photoUrls: (n.photoIds ?? []).map((id) => `/api/v1/campaigns/${c._id.toHexString()}/nominations/${n._id.toHexString()}/photos/${photoIdOf(id)}`),
        status: n.status,
        reviewNote: isStaff(actor) || n.nominatedBy.toHexString() === actor.id ? (n.reviewNote ?? null) : null,
        mine: n.nominatedBy.toHexString() === actor.id,
        objections: objections
          .filter((o) => o.nominationId.equals(n._id) && (isStaff(actor) || o.userId.toHexString() === actor.id))
          .map((o) => ({ id: o._id.toHexString(), text: o.text, answer: o.answer ?? null, mine: o.userId.toHexString() === actor.id })),
      })),
    };
  }

  return {
    async create(actor: Actor, body: CampaignCreateBody): Promise<CampaignView> {
      const c = await Campaign.create({ ...body, nominateUntil: new Date(body.nominateUntil), communityId: new Types.ObjectId(actor.communityId!), createdBy: new Types.ObjectId(actor.id), stage: 'nominating' });
      return view(c.toObject() as CampaignDoc, actor);
    },

    async list(actor: Actor): Promise<CampaignView[]> {
      if (!actor.communityId) return [];
      const docs = await Campaign.find({ communityId: new Types.ObjectId(actor.communityId) }).sort({ _id: -1 }).limit(50).lean<CampaignDoc[]>();
      return Promise.all(docs.map((c) => view(c, actor)));
    },

    async get(actor: Actor, campaignId: string): Promise<CampaignView> {
      return view(await load(actor, campaignId), actor);
    },

    async nominate(actor: Actor, campaignId: string, body: NominationBody, now = new Date()): Promise<CampaignView> {
      const c = await load(actor, campaignId);
      if (c.stage !== 'nominating' || now >= c.nominateUntil) throw new AppError('CAMPAIGN_WRONG_STAGE', '推荐已经截止了');
      if (!actor.roles.includes('resident')) throw new AppError('FORBIDDEN', '绑定房屋的居民才能推荐');
      if (!c.categories.includes(body.category)) throw new AppError('VALIDATION_FAILED', '没有这个评选类别', { fields: { category: ['请从列表中选择'] } });
      // Names and reasons go on public notice: risky text is refused here; staff review every nomination anyway.
      const verdict = await deps.moderate(actor, `${body.nomineeName}\n${body.reason}`, 3);
      // Photos are claimed for the nomination before it is written (no transactions), and given back if it is not.
      const nominationId = new Types.ObjectId();
      const photoIds = await deps.uploads.attach(actor, body.photoIds, photoHolder(nominationId), now);
      await Nomination.create({ ...body, _id: nominationId, photoIds, campaignId: c._id, communityId: c.communityId, nominatedBy: new Types.ObjectId(actor.id), verdict }).catch(async (error: unknown) => {
        await deps.uploads.detach(photoIds, photoHolder(nominationId));
        throw error;
      });
      return view(c, actor);
    },

    /**
     * One photo of a nomination, for whoever sees that nomination in the
     * campaign (its community only). Every refusal is the same 404.
     */
    async photo(actor: Actor, campaignId: string, nominationId: string, photoId: string): Promise<{ data: Buffer; contentType: string }> {
      const missing = new AppError('NOT_FOUND', '没有找到这张照片');
      const c = await load(actor, campaignId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
        throw error;
      });
      const n = c ? await Nomination.findOne({ _id: nominationId, campaignId: c._id }).lean<NominationDoc>() : null;
      if (!c || !n || !nominationShown(c, n, actor) || !(n.photoIds ?? []).some((id) => photoIdOf(id) === photoId)) throw missing;
      return deps.uploads.readHeld(photoId, photoHolder(n._id));
    },

    async review(actor: Actor, nominationId: string, accept: boolean, note: string | undefined): Promise<CampaignView> {
      const n = await Nomination.findById(nominationId).lean<NominationDoc>();
      if (!n || n.communityId.toHexString() !== actor.communityId) throw new AppError('NOT_FOUND', '没有找到这条推荐');
      const c = await load(actor, n.campaignId.toHexString());
      // A desk that is also a resident does not pass its own nomination onto the notice.
      if (n.nominatedBy.toHexString() === actor.id) throw new AppError('FORBIDDEN', '这是您自己提交的推荐，请另一位工作人员审核');
      if (c.stage !== 'nominating' && c.stage !== 'reviewing') throw new AppError('CAMPAIGN_WRONG_STAGE', '公示开始后不能再改审核结果');
      if (!accept && !note) throw new AppError('VALIDATION_FAILED', '不通过要写明原因', { fields: { note: ['请写明原因'] } });
      await Nomination.updateOne({ _id: n._id }, { $set: { status: accept ? 'accepted' : 'rejected', reviewNote: note ?? null } });
      await notifications.notify(n.nominatedBy.toHexString(), {
        kind: 'campaign',
        title: accept ? '您的推荐通过了审核' : '您的推荐没有通过审核',
        body: `「${c.title}」推荐${n.nomineeName}${accept ? '，将进入公示' : `：${note}`}`,
        link: `/volunteer/campaign/index?id=${c._id.toHexString()}`,
      });
      return view(c, actor);
    },

    /** Public notice of the accepted nominees for at least noticeDays. */
    async startNotice(actor: Actor, campaignId: string, now = new Date()): Promise<CampaignView> {
      const c = await load(actor, campaignId);
      if (!(await Nomination.exists({ campaignId: c._id, status: 'accepted' }))) throw new AppError('CAMPAIGN_WRONG_STAGE', '还没有审核通过的推荐，不能公示');
      if (await Nomination.exists({ campaignId: c._id, status: 'submitted' })) throw new AppError('CAMPAIGN_WRONG_STAGE', '还有推荐没有审核');
      const next = await advance(c, ['nominating', 'reviewing'], { stage: 'notice', noticeUntil: new Date(now.getTime() + c.noticeDays * 86_400_000) });
      return view(next, actor);
    },

    async object(actor: Actor, campaignId: string, nominationId: string, text: string, now = new Date()): Promise<CampaignView> {
      const c = await load(actor, campaignId);
      if (c.stage !== 'notice' || !c.noticeUntil || now > c.noticeUntil) throw new AppError('OBJECTION_CLOSED', '现在不在公示期，不能提出异议');
      if (!actor.roles.includes('resident')) throw new AppError('FORBIDDEN', '绑定房屋的居民才能提出异议');
      const n = await Nomination.findOne({ _id: nominationId, campaignId: c._id, status: 'accepted' }).lean<NominationDoc>();
      if (!n) throw new AppError('NOT_FOUND', '公示名单里没有这一位');
      await deps.moderate(actor, text, 2);
      await CampaignObjection.create({ campaignId: c._id, nominationId: n._id, userId: new Types.ObjectId(actor.id), text });
      return view(c, actor);
    },

    async answerObjection(actor: Actor, objectionId: string, answer: string): Promise<{ ok: true }> {
      // The objection's campaign is checked first (another community's is not found), then one guarded update writes the answer.
      const found = await CampaignObjection.findById(objectionId).lean<ObjectionDoc>();
      if (!found) throw new AppError('NOT_FOUND', '没有找到这条异议');
      const c = await load(actor, found.campaignId.toHexString()).catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', '没有找到这条异议') : error;
      });
      // A desk that is also a resident does not answer its own objection: someone else must look at it.
      if (found.userId.toHexString() === actor.id) throw new AppError('FORBIDDEN', '这是您自己提出的异议，请另一位工作人员答复');
      const o = await CampaignObjection.findOneAndUpdate(
        { _id: found._id, campaignId: c._id, answer: null },
        { $set: { answer, answeredBy: new Types.ObjectId(actor.id) } },
        { returnDocument: 'after' },
      ).lean<ObjectionDoc>();
      if (!o) throw new AppError('CONFLICT', '这条异议已经答复过了');
      await notifications.notify(o.userId.toHexString(), { kind: 'campaign', title: '您的异议有答复了', body: answer, link: `/volunteer/campaign/index?id=${o.campaignId.toHexString()}` });
      return { ok: true };
    },

    /**
     * After the notice, with every objection answered: open the public vote on
     * the poll engine (one question per category) or hand it to the panel.
     */
    async decide(actor: Actor, campaignId: string, closesAt: string | undefined, now = new Date()): Promise<CampaignView> {
      const c = await load(actor, campaignId);
      if (c.stage !== 'notice' || !c.noticeUntil) throw new AppError('CAMPAIGN_WRONG_STAGE');
      if (now < c.noticeUntil) throw new AppError('CAMPAIGN_WRONG_STAGE', `公示到${toShanghaiIso(c.noticeUntil).slice(0, 10)}，公示期满后才能评选`);
      if (await CampaignObjection.exists({ campaignId: c._id, answer: null })) throw new AppError('OBJECTIONS_UNANSWERED');
      if (c.decision === 'panel') return view(await advance(c, ['notice'], { stage: 'appraisal' }), actor);
      if (!closesAt || Date.parse(closesAt) <= now.getTime()) throw new AppError('VALIDATION_FAILED', '请选择投票结束时间', { fields: { closesAt: ['要晚于现在'] } });
      const accepted = await Nomination.find({ campaignId: c._id, status: 'accepted' }).sort({ _id: 1 }).lean<NominationDoc[]>();
      const questions = c.categories
        .map((category) => ({ category, names: accepted.filter((n) => n.category === category).map((n) => n.nomineeName) }))
        .filter((q) => q.names.length > 0)
        .map((q) => {
          const options = q.names.length === 1 ? [...q.names, NONE] : q.names;
          const max = q.names.length === 1 ? 1 : Math.min(c.winnersPerCategory, q.names.length);
          return { title: `${q.category}（最多选${max}位）`, kind: max === 1 ? ('single' as const) : ('multiple' as const), options, minPicks: 1, maxPicks: max };
        });
      const poll = await polls.create(actor, {
        title: c.title,
        description: `请从公示的候选中投票。${c.description}`.slice(0, 2000),
        questions,
        opensAt: now.toISOString(),
        closesAt,
        countingUnit: 'person',
        secrecy: 'secret',
        resultVisibility: 'after_close',
        scope: { kind: 'community' },
        noticeDays: 7,
      });
      await polls.open(actor, poll.id, now);
      return view(await advance(c, ['notice'], { stage: 'voting', pollId: new Types.ObjectId(poll.id) }), actor);
    },

    /** Residents vote through the campaign page; the poll engine keeps the ballot secret and counted once. */
    async vote(actor: Actor, campaignId: string, answers: number[][]) {
      const c = await load(actor, campaignId);
      if (c.stage !== 'voting' || !c.pollId) throw new AppError('CAMPAIGN_WRONG_STAGE', '现在不在投票阶段');
      return polls.cast(actor, c.pollId.toHexString(), { answers });
    },

    /**
     * The honour roll: from the published vote (the most votes per category,
     * up to winnersPerCategory) or the panel's choice; then kept as published.
     */
    async publish(actor: Actor, campaignId: string, winners: string[] | undefined, now = new Date()): Promise<CampaignView> {
      const c = await load(actor, campaignId);
      const accepted = await Nomination.find({ campaignId: c._id, status: 'accepted' }).lean<NominationDoc[]>();
      let chosen: NominationDoc[];
      if (c.stage === 'voting') {
        const result = await polls.result(actor, c.pollId!.toHexString()).catch(() => null);
        if (!result?.final) throw new AppError('CAMPAIGN_WRONG_STAGE', '投票结束并公布结果后才能公布评选结果');
        const categories = c.categories.filter((cat) => accepted.some((n) => n.category === cat));
        chosen = categories.flatMap((cat, qi) => {
          const options = result.questions[qi]!.options.filter((o) => o.label !== NONE && o.heads > 0).sort((a, b) => b.heads - a.heads);
          const names = options.slice(0, c.winnersPerCategory).map((o) => o.label);
          return accepted.filter((n) => n.category === cat && names.includes(n.nomineeName));
        });
      } else if (c.stage === 'appraisal') {
        if (!winners?.length) throw new AppError('VALIDATION_FAILED', '请选出评审结果', { fields: { winners: ['至少一位'] } });
        chosen = accepted.filter((n) => winners.includes(n._id.toHexString()));
        if (chosen.length !== new Set(winners).size) throw new AppError('VALIDATION_FAILED', '只能从公示名单中选');
      } else {
        throw new AppError('CAMPAIGN_WRONG_STAGE');
      }
      const roll = chosen.map((n) => ({ category: n.category, nomineeName: n.nomineeName, nominationId: n._id }));
      const next = await advance(c, ['voting', 'appraisal'], { stage: 'published', honourRoll: roll, publishedAt: now });
      for (const n of chosen) {
        await notifications.notify(n.nominatedBy.toHexString(), { kind: 'campaign', title: '评选结果公布了', body: `您推荐的${n.nomineeName}入选「${c.title}」${n.category}。`, link: `/volunteer/campaign/index?id=${campaignId}` });
      }
      return view(next, actor);
    },
  };
}
