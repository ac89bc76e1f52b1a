import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { ballotChannelLabels, formatArea, shanghaiDate, toShanghaiIso, yesNoOptions, type PollResultView } from '@community/shared';
import { AppError } from '../../app-error.js';
import type { Actor } from '../../http/types.js';
import type { NotificationService } from '../notification/service.js';
import { Grid, type GridDoc } from '../space/models.js';
import { Ballot, Objection, Participation, Poll, RollEntry, type BallotDoc, type ObjectionDoc, type ParticipationDoc, type PollDoc, type RollEntryDoc } from './models.js';
import { decodeAnswers } from './chain.js';
import type { PollService } from './service.js';

const isCommunityStaff = (actor: Actor) => actor.roles.some((r) => r === 'community_staff' || r === 'admin');

/** Staff work on a poll: who has not voted (by grid), reminders, the register, objections. */
export function createPollStaffService(polls: PollService, notifications: NotificationService, reminderTemplate: string) {
  async function rollWithParticipation(poll: PollDoc) {
    const [roll, participations] = await Promise.all([
      RollEntry.find({ pollId: poll._id }).lean<RollEntryDoc[]>(),
      Participation.find({ pollId: poll._id }).lean<ParticipationDoc[]>(),
    ]);
    const voted = new Map(participations.map((p) => [p.unitKey, p]));
    return { roll, voted };
  }

  /** Grid workers see their own grids only; centre staff see all, or one grid they pick. */
  function gridFilter(actor: Actor, gridId: string | undefined): (entry: RollEntryDoc) => boolean {
    const own = isCommunityStaff(actor) ? null : new Set(actor.gridIds);
    if (gridId && own && !own.has(gridId)) throw new AppError('FORBIDDEN', '这个网格不归您负责');
    return (entry) => {
      const ids = (entry.gridIds ?? []).map((g) => g.toHexString());
      if (gridId && !ids.includes(gridId)) return false;
      return !own || ids.some((g) => own.has(g));
    };
  }

  return {
    async nonVoters(actor: Actor, pollId: string, gridId?: string) {
      const poll = await polls.load(pollId, actor);
      if (poll.status === 'draft') throw new AppError('POLL_NOT_OPEN', '投票还没有发布');
      const inScope = gridFilter(actor, gridId);
      const { roll, voted } = await rollWithParticipation(poll);
      const grids = await Grid.find({ communityId: poll.communityId }).lean<GridDoc[]>();
      const gridName = new Map(grids.map((g) => [g._id.toHexString(), g.name]));
      const mine = roll.filter(inScope);
      const items = mine
        .filter((e) => !voted.has(e.unitKey))
        .sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))
        .map((e) => ({
          unitKey: e.unitKey,
          label: e.label,
          holder: e.holder ?? '',
          areaCenti: e.areaCenti,
          gridNames: (e.gridIds ?? []).map((g) => gridName.get(g.toHexString()) ?? ''),
        }));
      return { total: mine.length, voted: mine.length - items.length, items };
    },

    /** Inbox (and a subscribe message where consented) to eligible non-voters, at most once a day per poll. */
    async remind(actor: Actor, pollId: string, now = new Date()) {
      const poll = await polls.load(pollId, actor);
      if (poll.status !== 'open' || now >= poll.closesAt) throw new AppError('POLL_NOT_OPEN');
      const claimed = await Poll.findOneAndUpdate(
        { _id: poll._id, $or: [{ lastRemindedAt: null }, { lastRemindedAt: { $lte: new Date(now.getTime() - 20 * 3600_000) } }] },
        { $set: { lastRemindedAt: now } },
        { returnDocument: 'after' },
      ).lean<PollDoc>();
      if (!claimed) throw new AppError('REMINDED_RECENTLY');
      const { voted } = await rollWithParticipation(poll);
      const users = await polls.usersOnRoll(poll);
      let sent = 0;
      for (const [userId, entry] of users) {
        if (voted.has(entry.unitKey)) continue;
        await notifications.notify(userId, {
          kind: 'poll',
          title: '投票快截止了',
          body: `《${poll.title}》${toShanghaiIso(poll.closesAt).slice(5, 16).replace('T', ' ')}截止，${entry.label}还没有投票。`,
          link: `/vote/poll/index?id=${pollId}`,
          subscribe: { templateId: reminderTemplate, data: { thing1: poll.title, time2: toShanghaiIso(poll.closesAt).slice(0, 16).replace('T', ' '), thing3: '您还没有投票' } },
        });
        sent++;
      }
      return { sent };
    },

    /**
     * The register for the street office. A named poll lists who chose what; a
     * secret poll lists only who took part and by which channel, then the tally.
     */
    async exportRegister(actor: Actor, pollId: string): Promise<Buffer> {
      const poll = await polls.load(pollId, actor);
      if (poll.status === 'draft') throw new AppError('POLL_NOT_OPEN', '投票还没有发布');
      const { roll, voted } = await rollWithParticipation(poll);
      const owner = poll.countingUnit === 'owner';
      const ballotsByUnit = new Map<string, BallotDoc>();
      if (poll.secrecy === 'named') {
        for (const b of await Ballot.find({ pollId: poll._id }).lean<BallotDoc[]>()) if (b.unitKey) ballotsByUnit.set(b.unitKey, b);
      }
      const book = new ExcelJS.Workbook();
      book.creator = '社区服务小程序';
      const sheet = book.addWorksheet(poll.secrecy === 'named' ? '表决票清册' : '投票名册');
      const labelOf = (q: PollDoc['questions'][number], picks: number[]) =>
        picks.map((i) => (q.kind === 'yesno' ? yesNoOptions[i] : q.options?.[i]) ?? '').join('、');
      sheet.columns = [
        { header: '房屋', key: 'label', width: 34 },
        { header: owner ? '业主' : '住户', key: 'holder', width: 18 },
        ...(owner ? [{ header: '专有部分面积', key: 'area', width: 14 }] : []),
        { header: '是否投票', key: 'voted', width: 10 },
        { header: '方式', key: 'channel', width: 10 },
        { header: '日期', key: 'date', width: 20 },
        ...(poll.secrecy === 'named' ? poll.questions.map((q, i) => ({ header: `第${i + 1}题 ${q.title}`, key: `q${i}`, width: 20 })) : []),
        { header: '凭证照片', key: 'evidence', width: 28 },
      ];
      for (const e of [...roll].sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'))) {
        const p = voted.get(e.unitKey);
        const b = ballotsByUnit.get(e.unitKey);
        sheet.addRow({
          label: e.label,
          holder: e.holder,
          area: owner ? formatArea(e.areaCenti) : undefined,
          voted: p ? '已投' : '未投',
          channel: p ? ballotChannelLabels[p.channel] : '',
          date: p ? (p.castAt ? toShanghaiIso(p.castAt).slice(0, 16).replace('T', ' ') : p.castOn) : '',
          ...Object.fromEntries(poll.questions.map((q, i) => [`q${i}`, b?.answers ? labelOf(q, decodeAnswers(b.answers)[i] ?? []) : ''])),
          // Served through the poll, to those who may see this unit's ballot evidence (staff-routes.ts).
          evidence: p?.evidenceId ? `/api/v1/staff/polls/${pollId}/paper-ballots/${encodeURIComponent(e.unitKey)}/evidence` : '',
        });
      }
      sheet.getRow(1).font = { bold: true };
      if (poll.publishedAt && poll.result) {
        const tally = book.addWorksheet('计票结果');
        const questions = JSON.parse(poll.result) as PollResultView['questions'];
        tally.addRow([poll.title]).font = { bold: true };
        tally.addRow([`公布时间 ${toShanghaiIso(poll.publishedAt).slice(0, 16).replace('T', ' ')}，名册 ${poll.roll?.heads ?? 0} ${owner ? `人，总面积 ${formatArea(poll.roll?.area ?? 0)}` : '票'}`]);
        for (const q of questions) {
          tally.addRow([]);
          tally.addRow([q.title]).font = { bold: true };
          for (const o of q.options) tally.addRow([o.label, `${o.heads} 票`, o.area === null ? '' : formatArea(o.area)]);
          if (q.owner) {
            const p = q.owner.participation;
            const a = q.owner.approval;
            tally.addRow(['参与表决', `${p.headsPart}/${p.headsWhole} 人`, `${formatArea(p.areaPart)}/${formatArea(p.areaWhole)}`, p.met ? '达到三分之二' : '未达到三分之二']);
            tally.addRow(['同意', `${a.headsPart}/${a.headsWhole} 人`, `${formatArea(a.areaPart)}/${formatArea(a.areaWhole)}`, a.met ? '达到' : '未达到']);
            tally.addRow(['结果', q.owner.passed ? '通过' : '未通过']);
          }
        }
      }
      return Buffer.from(await book.xlsx.writeBuffer());
    },

    /** 公示期内的异议: anyone verified in the community, with a reason; staff must answer. */
    async fileObjection(actor: Actor, pollId: string, text: string, now = new Date()) {
      const poll = await polls.load(pollId, actor);
      if (!poll.publishedAt || !poll.noticeUntil) throw new AppError('RESULT_NOT_PUBLISHED', '结果公布后才能提出异议');
      if (now > poll.noticeUntil) throw new AppError('OBJECTION_CLOSED');
      const doc = await Objection.create({ pollId: poll._id, communityId: poll.communityId, userId: new Types.ObjectId(actor.id), text });
      return objectionView(doc.toObject() as ObjectionDoc);
    },

    async objections(actor: Actor, pollId: string, mineOnly: boolean) {
      const poll = await polls.load(pollId, actor);
      const filter: Record<string, unknown> = { pollId: poll._id };
      if (mineOnly) filter.userId = new Types.ObjectId(actor.id);
      const docs = await Objection.find(filter).sort({ _id: 1 }).limit(500).lean<ObjectionDoc[]>();
      return docs.map(objectionView);
    },

    async answerObjection(actor: Actor, objectionId: string, answer: string, now = new Date()) {
      const doc = await Objection.findOneAndUpdate(
        { _id: objectionId, communityId: new Types.ObjectId(actor.communityId!), answer: null },
        { $set: { answer, answeredBy: new Types.ObjectId(actor.id), answeredAt: now } },
        { returnDocument: 'after' },
      ).lean<ObjectionDoc>();
      if (!doc) {
        const exists = await Objection.exists({ _id: objectionId, communityId: new Types.ObjectId(actor.communityId!) });
        throw exists ? new AppError('CONFLICT', '这条异议已经答复过了') : new AppError('NOT_FOUND', '没有找到这条异议');
      }
      await notifications.notify(doc.userId.toHexString(), { kind: 'poll', title: '您的异议有答复了', body: answer, link: `/vote/result/index?id=${doc.pollId.toHexString()}` });
      return objectionView(doc);
    },
  };
}

function objectionView(o: ObjectionDoc) {
  return {
    id: o._id.toHexString(),
    pollId: o.pollId.toHexString(),
    text: o.text,
    answer: o.answer ?? null,
    answeredAt: o.answeredAt ? toShanghaiIso(o.answeredAt) : null,
    createdAt: toShanghaiIso((o as ObjectionDoc & { createdAt: Date }).createdAt),
    createdOn: shanghaiDate((o as ObjectionDoc & { createdAt: Date }).createdAt),
  };
}
