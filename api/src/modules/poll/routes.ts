import { z } from 'zod';
import {
  ballotCastBody,
  ballotChannels,
  ballotReceiptView,
  objectId,
  objectionBody,
  pollChainView,
  pollListQuery,
  pollResultView,
  pollVerifyView,
  pollView,
} from '@community/shared';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

const pollParams = z.strictObject({ pollId: objectId });

export const castOutcome = z
  .object({
    pollId: objectId,
    unitKey: z.string(),
    unitLabel: z.string(),
    channel: z.enum(ballotChannels),
    receipt: z.string().meta({ description: '回执码：凭它查询自己的票已收到并计入（看不出投了什么）' }),
    castAt: z.string(),
  })
  .meta({ id: 'BallotCast' });

export const objectionView = z
  .object({
    id: objectId,
    pollId: objectId,
    text: z.string(),
    answer: z.string().nullable(),
    answeredAt: z.string().nullable(),
    createdAt: z.string(),
    createdOn: z.string(),
  })
  .meta({ id: 'PollObjection' });

/** Residents: polls, ballots, results; and the public integrity routes anyone may call. */
export function pollRoutes({ polls, pollDesk }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/polls',
      tag: 'poll',
      summary: '投票列表（待我表决的在前）',
      access: 'signedIn',
      query: pollListQuery,
      response: z.object({ items: z.array(pollView) }),
      handler: async (req) => ({ items: await polls.list(actorOf(req), req.query.status) }),
    }),
    defineRoute({
      method: 'get',
      path: '/polls/:pollId',
      tag: 'poll',
      summary: '投票详情：计票规则、参与情况、我能否投票（forResidentId：替授权我的家人看）',
      access: 'signedIn',
      params: pollParams,
      query: z.strictObject({ forResidentId: objectId.optional() }),
      response: pollView,
      handler: (req) => polls.get(actorOf(req), req.params.pollId, new Date(), req.query.forResidentId),
    }),
    defineRoute({
      method: 'post',
      path: '/polls/:pollId/ballots',
      tag: 'poll',
      summary: '投票（投了不能改；每户或每人一票，线上和纸质票合计只算一次）',
      access: 'signedIn',
      params: pollParams,
      body: ballotCastBody,
      response: castOutcome,
      successStatus: 201,
      // A retry finds its ballot by the unit (409 ALREADY_VOTED with the same receipt); no answer is
      // stored under the caller, and the log line names neither caller nor poll.
      idempotent: true,
      unlinkable: true,
      handler: (req) => polls.cast(actorOf(req), req.params.pollId, req.body),
    }),
    defineRoute({
      method: 'get',
      path: '/polls/:pollId/result',
      tag: 'poll',
      summary: '计票结果（业主表决含《民法典》第278条两项检验）',
      access: 'signedIn',
      params: pollParams,
      response: pollResultView,
      handler: (req) => polls.result(actorOf(req), req.params.pollId),
    }),
    defineRoute({
      method: 'get',
      path: '/polls/:pollId/chain',
      tag: 'poll',
      summary: '公开的选票哈希链（分页），任何人都能据此重新计票',
      access: 'public',
      params: pollParams,
      query: z.strictObject({
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(1000).default(500),
      }),
      response: pollChainView,
      rateLimit: { bucket: 'poll-chain', limit: 600, windowSeconds: 60 },
      handler: (req) => polls.chain(req.params.pollId, req.query.after, req.query.limit),
    }),
    defineRoute({
      method: 'get',
      path: '/polls/:pollId/verify',
      tag: 'poll',
      summary: '重新核验：链是否完整、存档的票与链是否一致、公布的结果是否等于按链重新计票',
      access: 'public',
      params: pollParams,
      response: pollVerifyView,
      rateLimit: { bucket: 'poll-verify', limit: 60, windowSeconds: 60 },
      handler: (req) => polls.verify(req.params.pollId),
    }),
    defineRoute({
      method: 'get',
      path: '/receipts/:code',
      tag: 'poll',
      summary: '凭回执码查询自己的票是否已收到、计入了链上的第几批（不会显示投了什么）',
      access: 'public',
      params: z.strictObject({ code: z.string().trim().regex(/^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/, '回执码是12位字母和数字') }),
      response: ballotReceiptView,
      // Receipt codes are guessable only by brute force; keep that slow.
      rateLimit: { bucket: 'receipt', limit: 30, windowSeconds: 60 },
      handler: (req) => polls.receipt(req.params.code),
    }),
    defineRoute({
      method: 'post',
      path: '/polls/:pollId/objections',
      tag: 'poll',
      summary: '公示期内对结果提出异议',
      access: 'signedIn',
      params: pollParams,
      body: objectionBody,
      response: objectionView,
      successStatus: 201,
      idempotent: true,
      handler: (req) => pollDesk.fileObjection(actorOf(req), req.params.pollId, req.body.text),
    }),
    defineRoute({
      method: 'get',
      path: '/polls/:pollId/objections/mine',
      tag: 'poll',
      summary: '我提出的异议和答复',
      access: 'signedIn',
      params: pollParams,
      response: z.object({ items: z.array(objectionView) }),
      handler: async (req) => ({ items: await pollDesk.objections(actorOf(req), req.params.pollId, true) }),
    }),
  ];
}
