import { z } from 'zod';
import { authorityCandidate, authorityCreateBody, authorityView, objectId } from '@community/shared';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

/** A resident authorises family or their grid worker to act for them (S5). */
export function authorityRoutes({ authorities }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/authorities',
      tag: 'authority',
      summary: '我给出的和我收到的代办授权',
      access: 'signedIn',
      response: z.object({ given: z.array(authorityView), received: z.array(authorityView) }),
      handler: (req) => authorities.list(actorOf(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/authorities/candidates',
      tag: 'authority',
      summary: '可以授权的人：同住家人、本网格网格员',
      access: ['resident'],
      response: z.object({ items: z.array(authorityCandidate) }),
      handler: async (req) => ({ items: await authorities.candidates(actorOf(req)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/authorities',
      tag: 'authority',
      summary: '授权别人代为办理（可随时收回）',
      access: ['resident'],
      body: authorityCreateBody,
      response: authorityView,
      successStatus: 201,
      handler: (req) => authorities.grant(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'post',
      path: '/authorities/:authorityId/revoke',
      tag: 'authority',
      summary: '收回授权',
      access: 'signedIn',
      params: z.strictObject({ authorityId: objectId }),
      response: authorityView,
      handler: (req) => authorities.revoke(actorOf(req), req.params.authorityId),
    }),
  ];
}
