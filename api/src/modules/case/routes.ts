import { z } from 'zod';
import {
  caseCategories,
  caseCreateBody,
  casePauseBody,
  caseRatingBody,
  caseReopenBody,
  caseResolveBody,
  caseReturnBody,
  caseTransferBody,
  caseView,
  caseVisitBody,
  objectId,
  uploadId,
  promiseRuleBody,
  routingRuleBody,
} from '@community/shared';
import { Types } from 'mongoose';
import { AppError } from '../../app-error.js';
import { actorOf, defineRoute, FileResponse } from '../../http/route.js';
import type { Services } from '../services.js';
import { Building } from '../space/models.js';
import { CaseCalendar, PromiseRuleModel, RoutingRuleModel } from './models.js';
import { communityByCode, scorecard, scorecardWorkbook } from './scorecard.js';

const caseParams = z.strictObject({ caseId: objectId });
const desks = ['property_staff', 'grid_worker', 'community_staff', 'admin'] as const;
const centre = ['community_staff', 'admin'] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式是 年-月-日');
const month = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式是 年-月，例如 2026-11');
const figures = z.object({ cases: z.number(), acceptedInTime: z.number(), resolved: z.number(), resolvedInTime: z.number(), rated: z.number(), satisfied: z.number(), reopened: z.number() });

/** 物业服务反馈: residents' cases and the desks that handle them. */
export function caseRoutes({ cases }: Services) {
  return [
    defineRoute({
      method: 'post',
      path: '/cases',
      tag: 'case',
      summary: '反映问题（报修、投诉、建议、表扬、咨询），可选对物业匿名',
      access: 'signedIn',
      body: caseCreateBody,
      response: caseView,
      successStatus: 201,
      idempotent: true,
      rateLimit: { bucket: 'case-create', limit: 60, windowSeconds: 60 },
      handler: (req) => cases.create(actorOf(req), req.body),
    }),
    defineRoute({
      method: 'get',
      path: '/cases',
      tag: 'case',
      summary: '我反映的和我关注的问题',
      access: 'signedIn',
      response: z.object({ items: z.array(caseView) }),
      handler: async (req) => ({ items: await cases.mine(actorOf(req)) }),
    }),
    defineRoute({
      method: 'get',
      path: '/cases/similar',
      tag: 'case',
      summary: '同一栋楼同一类别还没办结的问题（“同一问题？加入关注”）',
      access: 'signedIn',
      query: z.strictObject({ buildingId: objectId, category: z.enum(caseCategories) }),
      response: z.object({ items: z.array(caseView) }),
      handler: async (req) => ({ items: await cases.similar(actorOf(req), req.query.buildingId, req.query.category) }),
    }),
    defineRoute({
      method: 'get',
      path: '/cases/:caseId',
      tag: 'case',
      summary: '问题详情：现在由谁处理、承诺时间、全部经过',
      access: 'signedIn',
      params: caseParams,
      response: caseView,
      handler: (req) => cases.get(actorOf(req), req.params.caseId),
    }),
    defineRoute({
      method: 'get',
      path: '/cases/:caseId/photos/:photoId',
      tag: 'case',
      summary: '问题的照片（居民拍的和处理人员拍的），能看这个问题的人可以看',
      access: 'signedIn',
      params: z.strictObject({ caseId: objectId, photoId: uploadId }),
      handler: async (req) => {
        const file = await cases.photo(actorOf(req), req.params.caseId, req.params.photoId);
        return new FileResponse(file.data, file.contentType);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/cases/:caseId/follow',
      tag: 'case',
      summary: '加入关注（同一问题不重复提交）',
      access: 'signedIn',
      params: caseParams,
      response: caseView,
      handler: (req) => cases.follow(actorOf(req), req.params.caseId),
    }),
    defineRoute({
      method: 'post',
      path: '/cases/:caseId/confirm',
      tag: 'case',
      summary: '确认已解决',
      access: 'signedIn',
      params: caseParams,
      response: caseView,
      handler: (req) => cases.confirm(actorOf(req), req.params.caseId),
    }),
    defineRoute({
      method: 'post',
      path: '/cases/:caseId/reopen',
      tag: 'case',
      summary: '没解决，重新打开（写明原因）',
      access: 'signedIn',
      params: caseParams,
      body: caseReopenBody,
      response: caseView,
      handler: (req) => cases.reopen(actorOf(req), req.params.caseId, req.body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/cases/:caseId/rate',
      tag: 'case',
      summary: '评价（不满意会转整改并回访）',
      access: 'signedIn',
      params: caseParams,
      body: caseRatingBody,
      response: caseView,
      handler: (req) => cases.rate(actorOf(req), req.params.caseId, req.body.level, req.body.comment),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/cases',
      tag: 'case-staff',
      summary: '本单位的工单（待处理 / 已处理）',
      access: desks,
      query: z.strictObject({ status: z.enum(['open', 'done']).default('open') }),
      response: z.object({ items: z.array(caseView) }),
      handler: async (req) => ({ items: await cases.queue(actorOf(req), req.query.status) }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/accept',
      tag: 'case-staff',
      summary: '受理',
      access: desks,
      params: caseParams,
      response: caseView,
      handler: (req) => cases.accept(actorOf(req), req.params.caseId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/acknowledge',
      tag: 'case-staff',
      summary: '报到（收到上报的工单）',
      access: desks,
      params: caseParams,
      response: caseView,
      handler: (req) => cases.acknowledge(actorOf(req), req.params.caseId),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/transfer',
      tag: 'case-staff',
      summary: '转单给其他单位（写明原因）',
      access: desks,
      params: caseParams,
      body: caseTransferBody,
      response: caseView,
      handler: (req) => cases.transfer(actorOf(req), req.params.caseId, req.body.toLevel, req.body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/return',
      tag: 'case-staff',
      summary: '退单给社区服务中心（写明原因）',
      access: desks,
      params: caseParams,
      body: caseReturnBody,
      response: caseView,
      handler: (req) => cases.giveBack(actorOf(req), req.params.caseId, req.body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/pause',
      tag: 'case-staff',
      summary: '暂停（写明原因和恢复日期）',
      access: desks,
      params: caseParams,
      body: casePauseBody,
      response: caseView,
      handler: (req) => cases.pause(actorOf(req), req.params.caseId, req.body.reason, req.body.resumeOn),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/resolve',
      tag: 'case-staff',
      summary: '处理完成（写明结果，可附照片）',
      access: desks,
      params: caseParams,
      body: caseResolveBody,
      response: caseView,
      handler: (req) => cases.resolve(actorOf(req), req.params.caseId, req.body.note, req.body.photoIds),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/cases/:caseId/visit',
      tag: 'case-staff',
      summary: '差评整改的回访记录',
      access: centre,
      params: caseParams,
      body: caseVisitBody,
      response: caseView,
      handler: (req) => cases.recordVisit(actorOf(req), req.params.caseId, req.body.note),
    }),
    defineRoute({
      method: 'get',
      path: '/scorecards',
      tag: 'case',
      summary: '物业服务月度考核（公开）：按时受理率、按时办结率、满意率、重新打开率的分子分母',
      access: 'public',
      query: z.strictObject({ month: month.optional(), community: z.string().max(40).optional() }),
      response: z.object({
        month: z.string(),
        companies: z.array(figures.extend({ id: objectId, name: z.string() })),
        desks: z.array(figures.extend({ level: z.string(), label: z.string() })),
        total: figures,
      }),
      rateLimit: { bucket: 'scorecard', limit: 120, windowSeconds: 60 },
      handler: async (req) => scorecard(await communityByCode(req.query.community), req.query.month),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/scorecards/export',
      tag: 'case-staff',
      summary: '导出月度考核和工单明细（.xlsx）',
      access: centre,
      query: z.strictObject({ month }),
      handler: async (req) =>
        new FileResponse(
          await scorecardWorkbook(new Types.ObjectId(actorOf(req).communityId!), req.query.month),
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          `物业服务考核_${req.query.month}.xlsx`,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/staff/routing-rules',
      tag: 'case-staff',
      summary: '分派规则（按类别和楼栋决定第一个处理单位）',
      access: centre,
      response: z.object({ items: z.array(routingRuleBody.extend({ id: objectId })) }),
      handler: async (req) => ({
        items: (await RoutingRuleModel.find({ communityId: new Types.ObjectId(actorOf(req).communityId!) }).lean()).map((r) => ({
          id: r._id.toHexString(),
          category: r.category ?? null,
          buildingId: r.buildingId ? r.buildingId.toHexString() : null,
          level: r.level,
        })),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/staff/routing-rules',
      tag: 'case-staff',
      summary: '新增分派规则',
      access: centre,
      body: routingRuleBody,
      response: z.object({ id: objectId }),
      successStatus: 201,
      handler: async (req) => {
        const communityId = new Types.ObjectId(actorOf(req).communityId!);
        // A rule may only name a building of the desk's own community.
        if (req.body.buildingId && !(await Building.exists({ _id: req.body.buildingId, communityId }))) throw new AppError('NOT_FOUND', '没有找到这栋楼');
        const doc = await RoutingRuleModel.create({ ...req.body, communityId });
        return { id: doc._id.toHexString() };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/staff/routing-rules/:ruleId',
      tag: 'case-staff',
      summary: '删除分派规则',
      access: centre,
      params: z.strictObject({ ruleId: objectId }),
      handler: async (req) => {
        const r = await RoutingRuleModel.deleteOne({ _id: req.params.ruleId, communityId: new Types.ObjectId(actorOf(req).communityId!) });
        if (r.deletedCount !== 1) throw new AppError('NOT_FOUND', '没有这条规则');
      },
    }),
    defineRoute({
      method: 'get',
      path: '/staff/promises',
      tag: 'case-staff',
      summary: '服务承诺规则和节假日（没有规则时按默认：紧急2小时、水电电梯24小时、投诉15个工作日、其他7个工作日）',
      access: centre,
      response: z.object({ items: z.array(promiseRuleBody.extend({ id: objectId })), holidays: z.array(z.string()), workdays: z.array(z.string()) }),
      handler: async (req) => {
        const communityId = new Types.ObjectId(actorOf(req).communityId!);
        const [rules, cal] = await Promise.all([PromiseRuleModel.find({ communityId }).lean(), CaseCalendar.findById(communityId).lean<{ holidays?: string[]; workdays?: string[] }>()]);
        return {
          items: rules.map((r) => ({ id: r._id.toHexString(), category: r.category ?? null, kind: r.kind ?? null, urgent: r.urgent ?? null, amount: r.amount, unit: r.unit })),
          holidays: cal?.holidays ?? [],
          workdays: cal?.workdays ?? [],
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/staff/promises',
      tag: 'case-staff',
      summary: '新增服务承诺规则（新工单生效）',
      access: centre,
      body: promiseRuleBody,
      response: z.object({ id: objectId }),
      successStatus: 201,
      handler: async (req) => {
        const doc = await PromiseRuleModel.create({ ...req.body, communityId: new Types.ObjectId(actorOf(req).communityId!) });
        return { id: doc._id.toHexString() };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/staff/promises/:ruleId',
      tag: 'case-staff',
      summary: '删除服务承诺规则（以后的新工单按其他规则或默认承诺）',
      access: centre,
      params: z.strictObject({ ruleId: objectId }),
      handler: (req) => cases.deletePromiseRule(actorOf(req), req.params.ruleId),
    }),
    defineRoute({
      method: 'put',
      path: '/staff/promises/calendar',
      tag: 'case-staff',
      summary: '节假日和调休上班日（工作日计算用）',
      access: centre,
      body: z.strictObject({ holidays: z.array(isoDate).max(100), workdays: z.array(isoDate).max(30) }),
      response: z.object({ holidays: z.array(z.string()), workdays: z.array(z.string()) }),
      handler: async (req) => {
        const communityId = new Types.ObjectId(actorOf(req).communityId!);
        await CaseCalendar.updateOne({ _id: communityId }, { $set: { holidays: req.body.holidays, workdays: req.body.workdays } }, { upsert: true });
        return req.body;
      },
    }),
  ];
}
