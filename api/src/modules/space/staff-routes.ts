import { z } from 'zod';
import {
  bindingListQuery,
  bindingRejectBody,
  bindingReviewView,
  buildingCompanyBody,
  gridView,
  importReport,
  invitationCreateBody,
  invitationView,
  objectId,
  pageOf,
  residentSearchQuery,
  residentSearchResult,
  userView,
} from '@community/shared';
import { AppError } from '../../app-error.js';
import { actorOf, defineRoute } from '../../http/route.js';
import type { Services } from '../services.js';
import { IMPORT_CONTENT_TYPES, IMPORT_MAX_BYTES, importRooms } from './import.js';

const reviewers = ['community_staff', 'grid_worker', 'admin'] as const;
const centre = ['community_staff', 'admin'] as const;
const adminOnly = ['admin'] as const;

export function spaceStaffRoutes({ spaces }: Services) {
  return [
    defineRoute({
      method: 'get',
      path: '/staff/bindings',
      tag: 'space-staff',
      summary: '房屋绑定申请和该房屋的业主登记（网格员只看到自己网格的）',
      access: reviewers,
      query: bindingListQuery,
      response: pageOf(bindingReviewView),
      handler: (req) => spaces.listForReview(actorOf(req), req.query),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/bindings/:bindingId/approve',
      tag: 'space-staff',
      summary: '通过房屋绑定申请（不能审核自己的；与业主登记不符的业主申请需两位工作人员先后通过）',
      access: reviewers,
      params: z.strictObject({ bindingId: objectId }),
      response: bindingReviewView,
      handler: (req) => spaces.approveBinding(actorOf(req), req.params.bindingId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/bindings/:bindingId/reject',
      tag: 'space-staff',
      summary: '不通过房屋绑定申请（需写明原因，居民能看到）',
      access: reviewers,
      params: z.strictObject({ bindingId: objectId }),
      body: bindingRejectBody,
      response: bindingReviewView,
      handler: (req) => spaces.rejectBinding(actorOf(req), req.params.bindingId, req.body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/invitations',
      tag: 'space-staff',
      summary: '为一套房屋发一次性邀请码',
      access: centre,
      body: invitationCreateBody,
      response: invitationView,
      successStatus: 201,
      handler: (req) => spaces.createInvitation(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/imports/rooms',
      tag: 'space-staff',
      summary: '从 .xlsx 或 .csv 导入楼栋、房屋、面积和业主（dryRun=true 只检查不写入）',
      access: adminOnly,
      query: z.strictObject({ dryRun: z.enum(['true', 'false']).default('false') }),
      rawBody: { maxBytes: IMPORT_MAX_BYTES, contentTypes: IMPORT_CONTENT_TYPES },
      response: importReport,
      handler: async (req) => {
        const actor = actorOf(req);
        if (!actor.communityId) throw new AppError('FORBIDDEN', '您的账号还没有归属社区');
        const contentType = (req.header('Content-Type').split(';')[0] ?? '').trim().toLowerCase();
        const report = await importRooms(actor.communityId, req.rawBody!, contentType, req.query.dryRun === 'true');
        if (!report.dryRun && report.rejected.length) throw new AppError('IMPORT_REJECTED', undefined, { report });
        return report;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff/residents',
      tag: 'space-staff',
      summary: '按姓名或房号查找居民（窗口代约用）',
      access: centre,
      query: residentSearchQuery,
      response: z.object({ items: z.array(residentSearchResult) }),
      handler: async (req) => ({ items: await spaces.searchResidents(actorOf(req), req.query.q) }),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/grids',
      tag: 'space-staff',
      summary: '本社区的网格和网格员',
      access: reviewers,
      response: z.object({ items: z.array(gridView) }),
      handler: async (req) => ({ items: await spaces.listGrids(actorOf(req)) }),
    }),
    defineRoute({
      method: 'put',
      path: '/staff/grids/:gridId/workers/:userId',
      tag: 'space-staff',
      summary: '把网格员分配到网格',
      access: adminOnly,
      params: z.strictObject({ gridId: objectId, userId: objectId }),
      response: userView,
      handler: (req) => spaces.assignGridWorker(actorOf(req), req.params.gridId, req.params.userId, true),
    }),
    defineRoute({
      method: 'delete',
      path: '/staff/grids/:gridId/workers/:userId',
      tag: 'space-staff',
      summary: '把网格员移出网格',
      access: adminOnly,
      params: z.strictObject({ gridId: objectId, userId: objectId }),
      response: userView,
      handler: (req) => spaces.assignGridWorker(actorOf(req), req.params.gridId, req.params.userId, false),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/property-companies',
      tag: 'space-staff',
      summary: '本社区的物业公司',
      access: centre,
      response: z.object({ items: z.array(z.object({ id: objectId, name: z.string() })) }),
      handler: async (req) => ({ items: await spaces.listPropertyCompanies(actorOf(req)) }),
    }),
    defineRoute({
      method: 'put',
      path: '/staff/buildings/:buildingId/property-company',
      tag: 'space-staff',
      summary: '指定一栋楼的物业公司',
      access: adminOnly,
      params: z.strictObject({ buildingId: objectId }),
      body: buildingCompanyBody,
      response: z.object({ id: objectId, propertyCompanyId: objectId.nullable() }),
      handler: (req) => spaces.setBuildingCompany(actorOf(req), req.params.buildingId, req.body.propertyCompanyId),
    }),
  ];
}
