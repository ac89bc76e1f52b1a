import { z } from 'zod';
import { inboxMessageView, listQuery, objectId, okResponse, pageOf, subscriptionBody } from '@community/shared';
import type { Config } from '../../config.js';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

export function notificationRoutes({ notifications }: Services, config: Config) {
  return [
    defineRoute({
      method: 'get',
      path: '/subscriptions/templates',
      tag: 'notification',
      summary: '可订阅的微信消息模板（给 wx.requestSubscribeMessage 用）',
      access: 'signedIn',
      response: z.object({ bookingResult: z.string(), bookingReminder: z.string(), pollReminder: z.string() }),
      handler: async () => config.wechat.templates,
    }),
    defineRoute({
      method: 'post',
      path: '/subscriptions',
      tag: 'notification',
      summary: '记录用户刚刚同意的订阅消息（每同意一次，可发一条）',
      access: 'signedIn',
      body: subscriptionBody,
      response: z.object({ credits: z.record(z.string(), z.number().int()) }),
      handler: async (req) => {
        const known = Object.values(config.wechat.templates);
        const accepted = req.body.accepted.filter((t) => known.includes(t));
        return { credits: await notifications.recordConsent(actorOf(req).id, accepted) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/inbox',
      tag: 'notification',
      summary: '我的消息（最新在前）',
      access: 'signedIn',
      query: listQuery,
      response: pageOf(inboxMessageView),
      handler: (req) => notifications.list(actorOf(req).id, req.query.limit, req.query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/inbox/unread-count',
      tag: 'notification',
      summary: '未读消息数（标签栏角标）',
      access: 'signedIn',
      response: z.object({ unread: z.number().int() }),
      handler: async (req) => ({ unread: await notifications.unreadCount(actorOf(req).id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/inbox/:messageId/read',
      tag: 'notification',
      summary: '标为已读',
      access: 'signedIn',
      params: z.strictObject({ messageId: objectId }),
      response: okResponse,
      handler: async (req) => {
        await notifications.markRead(actorOf(req).id, req.params.messageId);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/inbox/read-all',
      tag: 'notification',
      summary: '全部标为已读',
      access: 'signedIn',
      response: okResponse,
      handler: async (req) => {
        await notifications.markRead(actorOf(req).id, 'all');
        return { ok: true as const };
      },
    }),
  ];
}
