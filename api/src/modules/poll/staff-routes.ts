import { z } from 'zod';
import { objectId, paperBallotBody, pollCreateBody, pollListQuery, pollView, reason } from '@community/shared';
import { actorOf, defineRoute, FileResponse } from '../../http/route.js';
import type { Services } from '../services.js';
import type { PhotoHolder } from '../upload/service.js';
import { castOutcome, objectionView } from './routes.js';
import { paperEvidenceHolder } from './service.js';

const pollParams = z.strictObject({ pollId: objectId });
const centre = ['community_staff', 'admin'] as const;
/** Grid workers take paper ballots door to door and visit non-voters of their grids. */
const field = ['grid_worker', 'community_staff', 'admin'] as const;

export function pollStaffRoutes({ polls, pollDesk, uploads }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/staff/polls',
      tag: 'poll-staff',
      summary: '投票管理列表（含未发布的）',
      access: field,
      query: pollListQuery,
      response: z.object({ items: z.array(pollView) }),
      handler: async (req) => ({ items: await polls.list(actorOf(req), req.query.status) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls',
      tag: 'poll-staff',
      summary: '创建投票（草稿；发布时固定名册）',
      access: centre,
      body: pollCreateBody,
      response: pollView,
      successStatus: 201,
      idempotent: true,
      handler: (req) => polls.create(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls/:pollId/open',
      tag: 'poll-staff',
      summary: '发布：按现在的台账固定名册，开始时间起可以投票',
      access: centre,
      params: pollParams,
      response: pollView,
      handler: (req) => polls.open(actorOf(req), req.params.pollId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls/:pollId/cancel',
      tag: 'poll-staff',
      summary: '取消未发布的投票',
      access: centre,
      params: pollParams,
      response: pollView,
      handler: (req) => polls.cancel(actorOf(req), req.params.pollId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls/:pollId/close',
      tag: 'poll-staff',
      summary: '结束投票（封存所有选票后计票并公示）',
      access: centre,
      params: pollParams,
      response: pollView,
      handler: (req) => polls.close(actorOf(req), req.params.pollId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls/:pollId/paper-ballots',
      tag: 'poll-staff',
      summary: '登记纸质票或上门票（须附签字表决票或委托书的照片）',
      access: field,
      params: pollParams,
      body: paperBallotBody,
      response: castOutcome,
      successStatus: 201,
      idempotent: true,
      unlinkable: true,
      handler: (req) => {
        const actor = actorOf(req);
        return polls.enterPaperBallot(actor, req.params.pollId, req.body, {
          claim: (id, holder) => uploads.attach(actor, [id], holder as PhotoHolder).then(
            () => true,
            () => false,
          ),
          release: (id, holder) => uploads.detach([id], holder as PhotoHolder),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff/polls/:pollId/paper-ballots/:unitKey/evidence',
      tag: 'poll-staff',
      summary: '纸质票或上门票的凭证照片（中心工作人员，或这一户所在网格的网格员）',
      access: field,
      params: z.strictObject({ pollId: objectId, unitKey: z.string().min(1).max(200) }),
      handler: async (req) => {
        const id = await polls.evidenceOf(actorOf(req), req.params.pollId, req.params.unitKey);
        const photo = await uploads.readHeld(id, paperEvidenceHolder(req.params.pollId, req.params.unitKey) as PhotoHolder);
        return new FileResponse(photo.data, photo.contentType);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff/polls/:pollId/non-voters',
      tag: 'poll-staff',
      summary: '还没投票的户（网格员只看自己的网格）',
      access: field,
      params: pollParams,
      query: z.strictObject({ gridId: objectId.optional() }),
      response: z.object({
        total: z.number(),
        voted: z.number(),
        items: z.array(z.object({ unitKey: z.string(), label: z.string(), holder: z.string(), areaCenti: z.number(), gridNames: z.array(z.string()) })),
      }),
      handler: (req) => pollDesk.nonVoters(actorOf(req), req.params.pollId, req.query.gridId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/polls/:pollId/remind',
      tag: 'poll-staff',
      summary: '提醒还没投票的居民（每天最多一次）',
      access: centre,
      params: pollParams,
      response: z.object({ sent: z.number() }),
      handler: (req) => pollDesk.remind(actorOf(req), req.params.pollId),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/polls/:pollId/export',
      tag: 'poll-staff',
      summary: '导出表决票清册和计票结果（.xlsx，供街道备案）',
      access: centre,
      params: pollParams,
      handler: async (req) =>
        new FileResponse(
          await pollDesk.exportRegister(actorOf(req), req.params.pollId),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          `表决票清册_${req.params.pollId}.xlsx`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/polls/:pollId/objections',
      tag: 'poll-staff',
      summary: '公示期收到的异议',
      access: centre,
      params: pollParams,
      response: z.object({ items: z.array(objectionView) }),
      handler: async (req) => ({ items: await pollDesk.objections(actorOf(req), req.params.pollId, false) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/poll-objections/:objectionId/answer',
      tag: 'poll-staff',
      summary: '答复异议（提出人会收到）',
      access: centre,
      params: z.strictObject({ objectionId: objectId }),
      body: z.strictObject({ answer: reason('答复') }),
      response: objectionView,
      handler: (req) => pollDesk.answerObjection(actorOf(req), req.params.objectionId, req.body.answer),
    }),
  ];
}
