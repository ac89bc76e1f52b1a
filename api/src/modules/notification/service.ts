import { Types } from 'mongoose';
import { toShanghaiIso, type InboxMessageView } from '@community/shared';
import { AppError } from '../../app-error.js';
import { Message, type MessageDoc } from './models.js';

export interface Notice {
  kind: string;
  title: string;
  body: string;
  link?: string;
}

export type NotificationService = ReturnType<typeof createNotificationService>;

export function createNotificationService() {
  return {
    async notify(userId: string, notice: Notice): Promise<void> {
      await Message.create({ userId, kind: notice.kind, title: notice.title, body: notice.body, link: notice.link ?? null });
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
