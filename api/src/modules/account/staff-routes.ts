import { z } from 'zod';
import { objectId, roleGrantBody, staffUserCreateBody, userCompanyBody, userListQuery, userView } from '@community/shared';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';

const adminOnly = ['admin'] as const;

/** Admins: desk accounts and who holds which role. */
export function accountStaffRoutes({ accounts }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/staff/users',
      tag: 'account-staff',
      summary: '本社区的用户（可按身份筛选）',
      access: adminOnly,
      query: userListQuery,
      response: z.object({ items: z.array(userView) }),
      handler: async (req) => ({
        items: await accounts.listUsers({ role: req.query.role, communityId: actorOf(req).communityId }, req.query.limit),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/users',
      tag: 'account-staff',
      summary: '新建工作人员账号',
      access: adminOnly,
      body: staffUserCreateBody,
      response: userView,
      successStatus: 201,
      handler: (req) => accounts.createStaffUser({ ...req.body, communityId: actorOf(req).communityId }),
    }),
    defineRoute({
      method: 'put',
      path: '/staff/users/:userId/roles',
      tag: 'account-staff',
      summary: '设置工作人员和志愿者身份（居民、业主身份来自房屋绑定）',
      access: adminOnly,
      params: z.strictObject({ userId: objectId }),
      body: roleGrantBody,
      response: userView,
      handler: (req) => accounts.setGrantedRoles(actorOf(req), req.params.userId, req.body.roles),
    }),
    defineRoute({
      method: 'put',
      path: '/staff/users/:userId/property-company',
      tag: 'account-staff',
      summary: '设置物业人员所属的物业公司',
      access: adminOnly,
      params: z.strictObject({ userId: objectId }),
      body: userCompanyBody,
      response: userView,
      handler: (req) => accounts.setPropertyCompany(actorOf(req), req.params.userId, req.body.propertyCompanyId),
    }),
  ];
}
