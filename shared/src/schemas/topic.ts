import '../zod-setup.js';
import { z } from 'zod';
import { isoDateTime, objectId, reason, uploadId } from './common.js';
import { resolutionStatuses } from './meeting.js';
import { pollStatuses } from './poll.js';

// --- Topics and discussion (V1, V2) ---

/**
 * collecting: gathering support; agenda: on the council's agenda (enough
 * support, or raised by staff); held: waiting for staff after WeChat's content
 * check said "review"; hidden: taken down by staff (kept, with the reason).
 */
export const topicStatuses = ['held', 'collecting', 'agenda', 'hidden'] as const;
export type TopicStatus = (typeof topicStatuses)[number];
export const topicStatusLabels: Record<TopicStatus, string> = {
  held: '审核中',
  collecting: '征集支持中',
  agenda: '已列入议事会议题',
  hidden: '已隐藏',
};

export const commentStatuses = ['visible', 'held', 'hidden'] as const;
export type CommentStatus = (typeof commentStatuses)[number];

const photoIds = z.array(uploadId).max(9, '最多9张照片').default([]);

export const topicCreateBody = z
  .strictObject({
    title: z.string({ error: '请填写议题标题' }).trim().min(4, '标题至少4个字').max(40, '标题最多40个字'),
    body: z.string({ error: '请写一写具体情况' }).trim().min(10, '请至少写10个字，说清楚是什么事').max(2000, '最多2000个字'),
    photoIds,
  })
  .meta({ id: 'TopicCreateBody' });
export type TopicCreateBody = z.infer<typeof topicCreateBody>;

export const commentCreateBody = z
  .strictObject({ text: z.string({ error: '请写下您的意见' }).trim().min(1, '请写下您的意见').max(500, '一条意见最多500个字') })
  .meta({ id: 'CommentCreateBody' });

export const hideBody = z.strictObject({ reason: reason('隐藏原因') }).meta({ id: 'HideBody' });

export const topicListQuery = z.strictObject({
  status: z.enum(['collecting', 'agenda', 'mine']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const commentView = z
  .object({
    id: objectId,
    authorName: z.string(),
    mine: z.boolean(),
    text: z.string().nullable().meta({ description: '被隐藏的意见只有作者和工作人员能看到原文' }),
    status: z.enum(commentStatuses),
    hiddenReason: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Comment' });
export type CommentView = z.infer<typeof commentView>;

export const topicView = z
  .object({
    id: objectId,
    title: z.string(),
    body: z.string(),
    photoUrls: z.array(z.string()),
    authorName: z.string(),
    mine: z.boolean(),
    byStaff: z.boolean(),
    status: z.enum(topicStatuses),
    hiddenReason: z.string().nullable(),
    supportCount: z.number(),
    supportThreshold: z.number(),
    supported: z.boolean(),
    agendaAt: isoDateTime.nullable(),
    commentCount: z.number(),
    /** The polls the topic led to (open or closed), so its page can name them without asking for each. */
    polls: z.array(z.object({ id: objectId, title: z.string(), status: z.enum(pollStatuses) })),
    /** The council meetings that took it up, and what each decided (null until a resolution is recorded). */
    meetings: z.array(
      z.object({
        id: objectId,
        title: z.string(),
        startsAt: isoDateTime,
        cancelled: z.boolean(),
        resolution: z.object({ text: z.string(), passed: z.boolean(), status: z.enum(resolutionStatuses) }).nullable(),
      }),
    ),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Topic' });
export type TopicView = z.infer<typeof topicView>;

export const topicDetailView = topicView.extend({ comments: z.array(commentView) }).meta({ id: 'TopicDetail' });
export type TopicDetailView = z.infer<typeof topicDetailView>;
