import { Types } from 'mongoose';
import { toShanghaiIso, type InboxMessageView } from '@community/shared';
import { AppError } from '../../app-error.js';
import { isDuplicateKey } from '../../db/connection.js';
import { WechatError, type WechatClient } from '../../wechat/client.js';
import { Message, OutboundMessage, SubscribeCredit, type MessageDoc } from './models.js';

export interface Notice {
  kind: string;
  title: string;
  body: string;
  link?: string;
  /** Also as a WeChat subscribe message, when the person has a credit for the template. */
  subscribe?: { templateId: string; data: Record<string, string> };
}

export type NotificationService = ReturnType<typeof createNotificationService>;

const MAX_ATTEMPTS = 6;
const LEASE_MS = 60_000;

/** WeChat's limits on subscribe-message values: thing ≤ 20 characters, phrase ≤ 5. */
export function fitTemplateData(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    const limit = key.startsWith('thing') ? 20 : key.startsWith('phrase') ? 5 : 32;
    const chars = [...value];
    out[key] = chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : value;
  }
  return out;
}

/** Seconds before retry n (1-based): 10 s, 20 s, 40 s … at most an hour. */
export function backoffSeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** (attempt - 1));
}

export function createNotificationService(wechat: WechatClient, openidOf: (userId: string) => Promise<string | null>) {
  return {
    /** Inbox always; a subscribe message only if a consent credit can be spent. Never waits on WeChat. */
    async notify(userId: string, notice: Notice, now = new Date()): Promise<void> {
      await Message.create({ userId, kind: notice.kind, title: notice.title, body: notice.body, link: notice.link ?? null });
      if (!notice.subscribe) return;
      const spent = await SubscribeCredit.updateOne(
        { _id: `${userId}:${notice.subscribe.templateId}`, credits: { $gt: 0 } },
        { $inc: { credits: -1 } },
      );
      if (spent.modifiedCount !== 1) return;
      await OutboundMessage.create({
        userId,
        templateId: notice.subscribe.templateId,
        page: notice.link ?? null,
        data: fitTemplateData(notice.subscribe.data),
        nextAt: now,
      });
    },

    /** Records the "allow" taps of wx.requestSubscribeMessage: one credit per accepted template. */
    async recordConsent(userId: string, templateIds: string[]): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const templateId of [...new Set(templateIds)]) {
        const id = `${userId}:${templateId}`;
        let doc;
        try {
          doc = await SubscribeCredit.findOneAndUpdate(
            { _id: id },
            { $inc: { credits: 1 }, $setOnInsert: { userId, templateId }, $set: { refusedAt: null } },
            { upsert: true, returnDocument: 'after' },
          ).lean();
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          doc = await SubscribeCredit.findOneAndUpdate({ _id: id }, { $inc: { credits: 1 } }, { returnDocument: 'after' }).lean();
        }
        out[templateId] = doc?.credits ?? 0;
      }
      return out;
    },

    /**
     * Sends what is due, one message at a time, each claimed with a lease so two
     * API instances never send the same one. Returns how many were handled.
     */
    async processQueue(now = new Date(), max = 20): Promise<number> {
      let handled = 0;
      for (; handled < max; handled++) {
        const job = await OutboundMessage.findOneAndUpdate(
          { $or: [{ state: 'queued', nextAt: { $lte: now } }, { state: 'sending', leaseUntil: { $lt: now } }] },
          { $set: { state: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS) }, $inc: { attempts: 1 } },
          { sort: { nextAt: 1 }, returnDocument: 'after' },
        ).lean();
        if (!job) break;
        const openid = await openidOf(job.userId.toHexString());
        if (!openid) {
          await OutboundMessage.updateOne({ _id: job._id }, { $set: { state: 'failed', lastError: 'no WeChat identity' } });
          continue;
        }
        try {
          await wechat.sendSubscribeMessage({ openid, templateId: job.templateId, page: job.page ?? undefined, data: job.data as Record<string, string> });
          await OutboundMessage.updateOne({ _id: job._id, state: 'sending' }, { $set: { state: 'sent', sentAt: now, lastError: null } });
        } catch (error) {
          const errcode = error instanceof WechatError ? error.errcode : -1;
          const lastError = error instanceof Error ? error.message : String(error);
          if (errcode === 43101) {
            await OutboundMessage.updateOne({ _id: job._id }, { $set: { state: 'refused', lastError } });
            await SubscribeCredit.updateOne(
              { _id: `${job.userId.toHexString()}:${job.templateId}` },
              { $set: { credits: 0, refusedAt: now } },
            );
          } else if (job.attempts >= MAX_ATTEMPTS || errcode === 47003) {
            // 47003: the data itself is wrong; sending it again cannot help.
            await OutboundMessage.updateOne({ _id: job._id }, { $set: { state: 'failed', lastError } });
          } else {
            await OutboundMessage.updateOne(
              { _id: job._id },
              { $set: { state: 'queued', leaseUntil: null, lastError, nextAt: new Date(now.getTime() + backoffSeconds(job.attempts) * 1000) } },
            );
          }
        }
      }
      return handled;
    },

    async list(userId: string, limit: number, cursor: string | undefined): Promise<{ items: InboxMessageView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = { userId };
      if (cursor) {
        if (!/^[0-9a-f]{24}$/.test(cursor)) throw new AppError('VALIDATION_FAILED', '翻页参数不正确');
        filter._id = { $lt: new Types.ObjectId(cursor) };
      }
      const page = await Message.find(filter).sort({ _id: -1 }).limit(limit + 1).lean<MessageDoc[]>();
      const items = page.slice(0, limit).map(toView);
      return { items, nextCursor: page.length > limit ? items[items.length - 1]!.id : null };
    },

    async unreadCount(userId: string): Promise<number> {
      return Message.countDocuments({ userId, readAt: null });
    },

    async markRead(userId: string, messageId: string | 'all', now = new Date()): Promise<void> {
      if (messageId === 'all') {
        await Message.updateMany({ userId, readAt: null }, { $set: { readAt: now } });
        return;
      }
      if (!(await Message.exists({ _id: messageId, userId }))) throw new AppError('NOT_FOUND', '没有找到这条消息');
      // Guarded by readAt so the first reading time is kept.
      await Message.updateOne({ _id: messageId, userId, readAt: null }, { $set: { readAt: now } });
    },
  };
}

function toView(m: MessageDoc): InboxMessageView {
  return {
    id: m._id.toHexString(),
    kind: m.kind,
    title: m.title,
    body: m.body,
    link: m.link ?? null,
    read: m.readAt !== null,
    createdAt: toShanghaiIso((m as { createdAt?: Date }).createdAt ?? m._id.getTimestamp()),
  };
}
