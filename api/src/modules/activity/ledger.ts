import { Types } from 'mongoose';
import { maskName, shanghaiDate, toShanghaiIso } from '@community/shared';
import type { Actor } from '../../http/types.js';
import { HoursEntry, PointsEntry, Signup, type LedgerDoc, type SignupDoc } from './models.js';

const entryView = (e: LedgerDoc) => ({
  id: e._id,
  amount: e.amount,
  reason: e.reason,
  byName: e.byName,
  activityTitle: e.activityTitle ?? null,
  at: toShanghaiIso(e.at),
});

/** Balances are sums of entries, added up here (FerretDB computes one accumulator per $group; this needs none). */
const sum = (entries: LedgerDoc[]) => entries.reduce((s, e) => s + e.amount, 0);

export function createVolunteerLedger(signupView: (s: SignupDoc) => Promise<unknown>) {
  return {
    async me(actor: Actor) {
      const userId = new Types.ObjectId(actor.id);
      const [hours, points, signups] = await Promise.all([
        HoursEntry.find({ userId }).sort({ at: -1 }).lean<LedgerDoc[]>(),
        PointsEntry.find({ userId }).sort({ at: -1 }).lean<LedgerDoc[]>(),
        Signup.find({ residentId: userId }).sort({ _id: -1 }).limit(100).lean<SignupDoc[]>(),
      ]);
      return {
        minutes: sum(hours),
        points: sum(points),
        hoursLedger: hours.slice(0, 200).map(entryView),
        pointsLedger: points.slice(0, 200).map(entryView),
        signups: await Promise.all(signups.map(signupView)),
      };
    },

    /** Confirmed hours per volunteer, this month (Shanghai) or all time, for the community or one grid; names masked. */
    async leaderboard(actor: Actor, period: 'month' | 'all', gridId: string | undefined, now = new Date()) {
      const month = shanghaiDate(now).slice(0, 7);
      const filter: Record<string, unknown> = { communityId: new Types.ObjectId(actor.communityId!) };
      if (period === 'month') filter.at = { $gte: new Date(`${month}-01T00:00:00+08:00`) };
      if (gridId) filter.gridIds = new Types.ObjectId(gridId);
      const entries = await HoursEntry.find(filter).lean<LedgerDoc[]>();
      const byUser = new Map<string, number>();
      for (const e of entries) byUser.set(e.userId.toHexString(), (byUser.get(e.userId.toHexString()) ?? 0) + e.amount);
      const names = new Map<string, string>();
      const signups = await Signup.find({ residentId: { $in: [...byUser.keys()].map((id) => new Types.ObjectId(id)) } })
        .select({ residentId: 1, residentName: 1 })
        .lean<SignupDoc[]>();
      for (const s of signups) names.set(s.residentId.toHexString(), s.residentName);
      const ranked = [...byUser.entries()].filter(([, m]) => m > 0).sort((a, b) => b[1] - a[1]);
      const myIndex = ranked.findIndex(([id]) => id === actor.id);
      return {
        period,
        month: period === 'month' ? month : null,
        items: ranked.slice(0, 50).map(([id, minutes], i) => ({ rank: i + 1, name: maskName(names.get(id) ?? '志愿者'), minutes, mine: id === actor.id })),
        mine: { rank: myIndex < 0 ? null : myIndex + 1, minutes: byUser.get(actor.id) ?? 0 },
      };
    },
  };
}
