import { randomInt } from 'node:crypto';
import { Schema, Types, model, type InferSchemaType } from 'mongoose';
import { toShanghaiIso, type RewardCreateBody } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import type { Actor } from '../../http/types.js';
import type { NotificationService } from '../notification/service.js';
import { Binding, type BindingDoc } from '../space/models.js';
import { PointsEntry, type LedgerDoc } from './models.js';

const options = { timestamps: true, versionKey: false } as const;

const rewardSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    pointsPrice: { type: Number, required: true },
    /** Units ever put on the shelf; what is left is stock minus the unit documents taken. */
    stock: { type: Number, required: true },
    status: { type: String, enum: ['active', 'retired'], default: 'active' },
    retiredAt: { type: Date, default: null },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  options,
);
export const Reward = model('Reward', rewardSchema, 'rewards');
type RewardDoc = InferSchemaType<typeof rewardSchema> & { _id: Types.ObjectId };

/** One document per unit handed out, `<rewardId>:<n>` with n ≤ stock: stock can never go below zero. */
const unitSchema = new Schema({ _id: { type: String, required: true }, rewardId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false });
unitSchema.index({ rewardId: 1 });
export const RewardUnit = model('RewardUnit', unitSchema, 'reward_units');

const redemptionSchema = new Schema(
  {
    communityId: { type: Schema.Types.ObjectId, required: true },
    rewardId: { type: Schema.Types.ObjectId, required: true },
    rewardTitle: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    residentName: { type: String, required: true },
    pointsPrice: { type: Number, required: true },
    unit: { type: String, required: true },
    pickupCode: { type: String, required: true, unique: true },
    status: { type: String, enum: ['pending', 'handed_over'], default: 'pending' },
    handedOverAt: { type: Date, default: null },
    handedOverBy: { type: Schema.Types.ObjectId, default: null },
  },
  options,
);
redemptionSchema.index({ userId: 1, _id: -1 });
export const Redemption = model('Redemption', redemptionSchema, 'reward_redemptions');
type RedemptionDoc = InferSchemaType<typeof redemptionSchema> & { _id: Types.ObjectId; createdAt: Date };

/**
 * One redemption at a time per person: a lock document `<userId>` inserted for
 * the few milliseconds between reading the balance (a sum of entries) and
 * writing the spending entry, so two taps cannot both spend the same points.
 * A lock left by a crash expires.
 */
const lockSchema = new Schema({ _id: { type: String, required: true }, until: { type: Date, required: true } }, { versionKey: false });
const PointsLock = model('PointsLock', lockSchema, 'points_locks');
const LOCK_MS = 15_000;

const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export type RewardService = ReturnType<typeof createRewardService>;

export function createRewardService(notifications: NotificationService) {
  async function left(r: RewardDoc): Promise<number> {
    return Math.max(0, r.stock - (await RewardUnit.countDocuments({ rewardId: r._id })));
  }
  const rewardView = async (r: RewardDoc) => ({
    id: r._id.toHexString(),
    title: r.title,
    description: r.description,
    pointsPrice: r.pointsPrice,
    stock: r.stock,
    left: await left(r),
    status: r.status,
  });
  const redemptionView = (d: RedemptionDoc) => ({
    id: d._id.toHexString(),
    rewardId: d.rewardId.toHexString(),
    rewardTitle: d.rewardTitle,
    pointsPrice: d.pointsPrice,
    pickupCode: d.pickupCode,
    status: d.status,
    residentName: d.residentName,
    createdAt: toShanghaiIso(d.createdAt),
    handedOverAt: d.handedOverAt ? toShanghaiIso(d.handedOverAt) : null,
  });

  async function lock(userId: string, now: Date): Promise<void> {
    try {
      await PointsLock.create({ _id: userId, until: new Date(now.getTime() + LOCK_MS) });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const taken = await PointsLock.updateOne({ _id: userId, until: { $lt: now } }, { $set: { until: new Date(now.getTime() + LOCK_MS) } });
      if (taken.modifiedCount !== 1) throw new AppError('REDEMPTION_IN_PROGRESS');
    }
  }

  /** Takes one unit: the numbers already taken are read first, a lost race moves to the next number. */
  async function takeUnit(r: RewardDoc): Promise<string | null> {
    const prefix = `${r._id.toHexString()}:`;
    for (let round = 0; round < 3; round++) {
      const taken = new Set((await RewardUnit.find({ rewardId: r._id }).select({ _id: 1 }).lean<{ _id: string }[]>()).map((u) => Number(u._id.slice(prefix.length))));
      const free = Array.from({ length: r.stock }, (_, i) => i + 1).filter((n) => !taken.has(n));
      if (free.length === 0) return null;
      const start = randomInt(free.length);
      for (let i = 0; i < free.length; i++) {
        const id = `${prefix}${free[(start + i) % free.length]}`;
        try {
          await RewardUnit.create({ _id: id, rewardId: r._id });
          return id;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
    }
    return null;
  }

  return {
    async list(actor: Actor) {
      if (!actor.communityId) return [];
      const docs = await Reward.find({ communityId: new Types.ObjectId(actor.communityId), status: 'active' }).sort({ pointsPrice: 1 }).lean<RewardDoc[]>();
      return Promise.all(docs.map(rewardView));
    },

    /** Staff: the shelf, or what was taken off it (pickup codes already given out still work). */
    async staffList(actor: Actor, status: 'active' | 'retired') {
      if (!actor.communityId) return [];
      const docs = await Reward.find({ communityId: new Types.ObjectId(actor.communityId), status })
        .sort(status === 'active' ? { pointsPrice: 1 } : { retiredAt: -1 })
        .limit(200)
        .lean<RewardDoc[]>();
      return Promise.all(docs.map(rewardView));
    },

    /** 下架: nobody can redeem it any more; what was redeemed before is still handed over against its code. */
    async retire(actor: Actor, rewardId: string, now = new Date()) {
      const communityId = new Types.ObjectId(actor.communityId!);
      const done = await Reward.findOneAndUpdate({ _id: rewardId, communityId, status: 'active' }, { $set: { status: 'retired', retiredAt: now } }, { returnDocument: 'after' }).lean<RewardDoc>();
      if (!done) {
        if (await Reward.exists({ _id: rewardId, communityId })) throw new AppError('CONFLICT', '这件物品已经下架了');
        throw new AppError('NOT_FOUND', '没有找到这件物品');
      }
      return rewardView(done);
    },

    async create(actor: Actor, body: RewardCreateBody) {
      const doc = await Reward.create({ ...body, communityId: new Types.ObjectId(actor.communityId!), createdBy: new Types.ObjectId(actor.id) });
      return rewardView(doc.toObject() as RewardDoc);
    },

    /**
     * Spends points on a unit: the balance is the sum of the ledger, read and
     * spent under the person's lock; the unit is a unique document. A failure
     * after taking the unit gives it back.
     */
    async redeem(actor: Actor, rewardId: string, now = new Date()) {
      const reward = await Reward.findById(rewardId).lean<RewardDoc>();
      if (!reward || reward.communityId.toHexString() !== actor.communityId || reward.status !== 'active') throw new AppError('NOT_FOUND', '没有找到这件物品');
      const binding = await Binding.findOne({ userId: new Types.ObjectId(actor.id), status: 'approved' }).lean<BindingDoc>();
      if (!binding) throw new AppError('FORBIDDEN', '绑定房屋后才能兑换');
      await lock(actor.id, now);
      try {
        const entries = await PointsEntry.find({ userId: new Types.ObjectId(actor.id) }).select({ amount: 1 }).lean<LedgerDoc[]>();
        const balance = entries.reduce((s, e) => s + e.amount, 0);
        if (balance < reward.pointsPrice) throw new AppError('POINTS_NOT_ENOUGH', `需要${reward.pointsPrice}积分，您现在有${balance}积分`);
        const unit = await takeUnit(reward);
        if (!unit) throw new AppError('OUT_OF_STOCK');
        const redemptionId = new Types.ObjectId();
        try {
          const doc = await Redemption.create({
            _id: redemptionId,
            communityId: reward.communityId,
            rewardId: reward._id,
            rewardTitle: reward.title,
            userId: new Types.ObjectId(actor.id),
            residentName: binding.realName,
            pointsPrice: reward.pointsPrice,
            unit,
            pickupCode: newCode(),
          });
          await PointsEntry.create({
            _id: `p:redeem:${redemptionId.toHexString()}`,
            communityId: reward.communityId,
            userId: new Types.ObjectId(actor.id),
            amount: -reward.pointsPrice,
            reason: `兑换「${reward.title}」`,
            byId: new Types.ObjectId(actor.id),
            byName: binding.realName,
            at: now,
          });
          await notifications.notify(actor.id, { kind: 'activity', title: '兑换成功', body: `「${reward.title}」兑换码 ${doc.pickupCode}，请到社区服务中心领取。`, link: '/volunteer/me/index' });
          return redemptionView(doc.toObject() as RedemptionDoc);
        } catch (error) {
          await Redemption.deleteOne({ _id: redemptionId });
          await RewardUnit.deleteOne({ _id: unit });
          throw error;
        }
      } finally {
        await PointsLock.deleteOne({ _id: actor.id });
      }
    },

    async mine(actor: Actor) {
      const docs = await Redemption.find({ userId: new Types.ObjectId(actor.id) }).sort({ _id: -1 }).limit(100).lean<RedemptionDoc[]>();
      return docs.map(redemptionView);
    },

    /** Staff hand the item over against its code, once. */
    async handOver(actor: Actor, code: string, now = new Date()) {
      const done = await Redemption.findOneAndUpdate(
        { pickupCode: code, communityId: new Types.ObjectId(actor.communityId!), status: 'pending' },
        { $set: { status: 'handed_over', handedOverAt: now, handedOverBy: new Types.ObjectId(actor.id) } },
        { returnDocument: 'after' },
      ).lean<RedemptionDoc>();
      if (!done) {
        const seen = await Redemption.exists({ pickupCode: code, communityId: new Types.ObjectId(actor.communityId!) });
        throw seen ? new AppError('CONFLICT', '这件物品已经领走了') : new AppError('NOT_FOUND', '没有这个兑换码');
      }
      return redemptionView(done);
    },
  };
}
