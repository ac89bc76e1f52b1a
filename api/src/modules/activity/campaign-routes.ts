import { z } from 'zod';
import { campaignCreateBody, campaignView, nominationBody, objectId, pollAnswers, reason, uploadId } from '@community/shared';
import { actorOf, defineRoute, FileResponse } from '../../http/route.js';
import type { Services } from '../services.js';
import { castOutcome } from '../poll/routes.js';

const campaignParams = z.strictObject({ campaignId: objectId });
const centre = ['community_staff', 'admin'] as const;

/** 道德模范 / 文明家庭 / 最美志愿者 评选 (A5). */
export function campaignRoutes({ campaigns }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/campaigns',
      tag: 'campaign',
      summary: '评选活动（推荐、公示、投票、光荣榜）',
      access: 'signedIn',
      response: z.object({ items: z.array(campaignView) }),
      handler: async (req) => ({ items: await campaigns.list(actorOf(req)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:campaignId',
      tag: 'campaign',
      summary: '评选详情（公示名单、我的推荐和异议、光荣榜）',
      access: 'signedIn',
      params: campaignParams,
      response: campaignView,
      handler: (req) => campaigns.get(actorOf(req), req.params.campaignId),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:campaignId/nominations',
      tag: 'campaign',
      summary: '推荐（自荐、推荐邻居或家庭），写明理由，可附照片',
      access: 'signedIn',
      params: campaignParams,
      body: nominationBody,
      response: campaignView,
      successStatus: 201,
      idempotent: true,
      handler: (req) => campaigns.nominate(actorOf(req), req.params.campaignId, req.body),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:campaignId/nominations/:nominationId/photos/:photoId',
      tag: 'campaign',
      summary: '推荐附的照片（能看到这条推荐的人可以看）',
      access: 'signedIn',
      params: z.strictObject({ campaignId: objectId, nominationId: objectId, photoId: uploadId }),
      handler: async (req) => {
        const file = await campaigns.photo(actorOf(req), req.params.campaignId, req.params.nominationId, req.params.photoId);
        return new FileResponse(file.data, file.contentType);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:campaignId/objections',
      tag: 'campaign',
      summary: '公示期内对候选提出异议（工作人员必须答复）',
      access: 'signedIn',
      params: campaignParams,
      body: z.strictObject({ nominationId: objectId, text: reason('异议内容') }),
      response: campaignView,
      successStatus: 201,
      idempotent: true,
      handler: (req) => campaigns.object(actorOf(req), req.params.campaignId, req.body.nominationId, req.body.text),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:campaignId/vote',
      tag: 'campaign',
      summary: '投票（每位居民一票，不记名；用投票模块计票和存证）',
      access: 'signedIn',
      params: campaignParams,
      body: z.strictObject({ answers: pollAnswers }),
      response: castOutcome,
      successStatus: 201,
      idempotent: true,
      // A secret ballot (poll/routes.ts): no answer stored under the caller, no caller in the log line.
      unlinkable: true,
      handler: (req) => campaigns.vote(actorOf(req), req.params.campaignId, req.body.answers),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaigns',
      tag: 'campaign-staff',
      summary: '发起评选',
      access: centre,
      body: campaignCreateBody,
      response: campaignView,
      successStatus: 201,
      idempotent: true,
      handler: (req) => campaigns.create(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaign-nominations/:nominationId/review',
      tag: 'campaign-staff',
      summary: '审核推荐（不通过要写原因）',
      access: centre,
      params: z.strictObject({ nominationId: objectId }),
      body: z.strictObject({ accept: z.boolean(), note: z.string().trim().min(2).max(200).optional() }),
      response: campaignView,
      handler: (req) => campaigns.review(actorOf(req), req.params.nominationId, req.body.accept, req.body.note),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaigns/:campaignId/notice',
      tag: 'campaign-staff',
      summary: '开始公示（审核通过的候选，至少7天）',
      access: centre,
      params: campaignParams,
      response: campaignView,
      handler: (req) => campaigns.startNotice(actorOf(req), req.params.campaignId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaign-objections/:objectionId/answer',
      tag: 'campaign-staff',
      summary: '答复异议',
      access: centre,
      params: z.strictObject({ objectionId: objectId }),
      body: z.strictObject({ answer: reason('答复') }),
      response: z.object({ ok: z.literal(true) }),
      handler: (req) => campaigns.answerObjection(actorOf(req), req.params.objectionId, req.body.answer),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaigns/:campaignId/decide',
      tag: 'campaign-staff',
      summary: '公示期满、异议都已答复后：开始投票（给出结束时间）或交评审',
      access: centre,
      params: campaignParams,
      body: z.strictObject({ closesAt: z.iso.datetime({ offset: true }).optional() }),
      response: campaignView,
      handler: (req) => campaigns.decide(actorOf(req), req.params.campaignId, req.body.closesAt),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/campaigns/:campaignId/publish',
      tag: 'campaign-staff',
      summary: '公布光荣榜（投票：按得票；评审：选出的候选）',
      access: centre,
      params: campaignParams,
      body: z.strictObject({ winners: z.array(objectId).max(200).optional() }),
      response: campaignView,
      handler: (req) => campaigns.publish(actorOf(req), req.params.campaignId, req.body.winners),
    }),
  ];
}
