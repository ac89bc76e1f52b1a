import { z } from 'zod';
import {
  bindingRequestBody,
  bindingView,
  buildingView,
  invitationRedeemBody,
  objectId,
  roomView,
  unitView,
} from '@community/shared';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Residents: pickers for building → unit → room, and asking to be bound to a room. */
export function spaceRoutes({ spaces }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/spaces/buildings',
      tag: 'space',
      summary: '本社区的楼栋（选择房屋用）',
      access: 'signedIn',
      response: items(buildingView),
      handler: async (req) => ({ items: await spaces.listBuildings(actorOf(req)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/spaces/buildings/:buildingId/units',
      tag: 'space',
      summary: '一栋楼的单元',
      access: 'signedIn',
      params: z.strictObject({ buildingId: objectId }),
      response: items(unitView),
      handler: async (req) => ({ items: await spaces.listUnits(req.actor, req.params.buildingId) }),
    }),
    defineRoute({
      method: 'get',
      path: '/spaces/units/:unitId/rooms',
      tag: 'space',
      summary: '一个单元的房屋',
      access: 'signedIn',
      params: z.strictObject({ unitId: objectId }),
      response: items(roomView),
      handler: async (req) => ({ items: await spaces.listRooms(req.actor, req.params.unitId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/bindings',
      tag: 'space',
      summary: '申请绑定房屋：微信手机号与业主登记一致的业主自动通过，其余由社区工作人员审核',
      access: 'signedIn',
      body: bindingRequestBody,
      response: bindingView,
      successStatus: 201,
      handler: (req) => spaces.requestBinding(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'get',
      path: '/bindings/mine',
      tag: 'space',
      summary: '我的房屋绑定与申请',
      access: 'signedIn',
      response: items(bindingView),
      handler: async (req) => ({ items: await spaces.bindingsOf(actorOf(req).id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/bindings/:bindingId/withdraw',
      tag: 'space',
      summary: '撤回自己还在审核中的绑定申请',
      access: 'signedIn',
      params: z.strictObject({ bindingId: objectId }),
      response: bindingView,
      handler: (req) => spaces.withdrawBinding(actorOf(req), req.params.bindingId),
    }),
    defineRoute({
      method: 'post',
      path: '/bindings/redeem',
      tag: 'space',
      summary: '用社区发的邀请码直接绑定房屋',
      access: 'signedIn',
      body: invitationRedeemBody,
      response: bindingView,
      successStatus: 201,
      rateLimit: { bucket: 'invitation', limit: 10, windowSeconds: 60 },
      handler: (req) => spaces.redeemInvitation(actorOf(req), req.body.code),
    }),
  ];
}
