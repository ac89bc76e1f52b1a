import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { Types } from 'mongoose';
import { z } from 'zod';
import { caseCategories, caseCategoryLabels, caseStatusLabels, shanghaiDate, type CaseCategory } from '@community/shared';
import type { Config } from '../../config.js';
import type { AppState } from '../../http/types.js';
import { Building, type BuildingDoc } from '../space/models.js';
import { Case, CaseStep, type CaseDoc, type CaseStepDoc } from '../case/models.js';
import type { Services } from '../services.js';

/**
 * Open311 GeoReport v2 beside our own API, for the city hotline (12345):
 * services, requests (read and write with an api_key), in the standard's own
 * field names and error shape. No resident's name or phone ever appears here.
 */

class Open311Error extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const serviceCodes = caseCategories;
const serviceDescriptions: Record<CaseCategory, string> = {
  utilities: '供水、供电、下水等问题',
  elevator: '电梯故障、困人、异响',
  greening: '绿化养护、树木修剪',
  cleaning: '楼道和公共区域保洁、垃圾清运',
  security: '门禁、监控、巡逻等安全问题',
  parking: '停车秩序、占用消防通道',
  noise: '噪声扰民',
  fees: '物业费及其他收费问题',
  other: '其他物业服务问题',
};

const MAX_DAYS = 90;
const isoDateTime = z.iso.datetime({ offset: true });

const listQuery = z.object({
  service_code: z.enum(serviceCodes).optional(),
  status: z.enum(['open', 'closed']).optional(),
  start_date: isoDateTime.optional(),
  end_date: isoDateTime.optional(),
  service_request_id: z.string().max(400).optional(),
  jurisdiction_id: z.string().max(40).optional(),
});

const createBody = z.object({
  api_key: z.string().min(1),
  service_code: z.enum(serviceCodes),
  description: z.string().trim().min(5).max(1000),
  address_string: z.string().trim().min(2).max(100).optional(),
  address_id: z.string().regex(/^[0-9a-f]{24}$/).optional(),
  media_url: z.string().url().max(500).optional(),
  jurisdiction_id: z.string().max(40).optional(),
  // Caller details the standard allows; kept for the centre's callback, never published.
  first_name: z.string().max(20).optional(),
  last_name: z.string().max(20).optional(),
  phone: z.string().max(20).optional(),
  email: z.string().max(100).optional(),
  device_id: z.string().max(100).optional(),
  account_id: z.string().max(100).optional(),
  lat: z.coerce.number().optional(),
  long: z.coerce.number().optional(),
});

function statusOf(c: CaseDoc): 'open' | 'closed' {
  return c.status === 'closed' ? 'closed' : 'open';
}

/**
 * Where, for the public: a common area as reported; a home only as its building.
 * Requests are readable by anyone without a key, and a room number next to a
 * complaint names a household, whether or not the resident asked to be anonymous.
 */
async function addressOf(c: CaseDoc): Promise<string> {
  if (c.placeKind !== 'room') return c.placeLabel;
  const building = await Building.findById(c.buildingId).select({ name: 1 }).lean<{ name: string }>();
  return `${building?.name ?? ''} 居民家中`.trim();
}

/** One service request in GeoReport v2 fields. */
async function requestView(c: CaseDoc, agency: (c: CaseDoc) => Promise<string>) {
  const last = await CaseStep.findOne({ caseId: c._id }).sort({ at: -1, _id: -1 }).lean<CaseStepDoc>();
  return {
    service_request_id: c.number,
    status: statusOf(c),
    status_notes: last?.note ? `${caseStatusLabels[c.status]}：${last.note}` : caseStatusLabels[c.status],
    service_name: caseCategoryLabels[c.category],
    service_code: c.category,
    description: c.text,
    agency_responsible: await agency(c),
    service_notice: null,
    requested_datetime: c.createdAt.toISOString(),
    updated_datetime: (last?.at ?? c.createdAt).toISOString(),
    expected_datetime: c.status === 'closed' || c.status === 'resolved' ? null : c.promisedBy.toISOString(),
    address: await addressOf(c),
    address_id: c.buildingId.toHexString(),
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}

export function open311Router(config: Config, services: Services) {
  const router = new Router<AppState>({ prefix: '/open311/v2' });
  const keys = new Set(config.open311ApiKeys);

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const known = error instanceof Open311Error ? error : null;
      const issues = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : null;
      ctx.status = known?.status ?? (issues ? 400 : 500);
      ctx.body = [{ code: ctx.status, description: known?.message ?? issues ?? 'internal error' }];
      if (!known && !issues) ctx.state.log.error({ err: error }, 'open311 request failed');
    }
  });

  const communityOf = async (jurisdiction: string | undefined) => services.cases.communityFor(jurisdiction);

  router.get('/services.json', async (ctx) => {
    ctx.body = serviceCodes.map((code) => ({
      service_code: code,
      service_name: caseCategoryLabels[code],
      description: serviceDescriptions[code],
      metadata: false,
      type: 'realtime',
      keywords: caseCategoryLabels[code],
      group: '物业服务',
    }));
  });

  router.get('/services/:code.json', async (ctx) => {
    const code = z.enum(serviceCodes).safeParse(ctx.params.code);
    if (!code.success) throw new Open311Error(404, 'service_code not found');
    ctx.body = { service_code: code.data, attributes: [] };
  });

  router.get('/requests.json', async (ctx) => {
    const q = listQuery.parse(ctx.query);
    const communityId = await communityOf(q.jurisdiction_id);
    const filter: Record<string, unknown> = { communityId };
    if (q.service_request_id) {
      filter.number = { $in: q.service_request_id.split(',').map((s) => s.trim()).slice(0, 50) };
    } else {
      const end = q.end_date ? new Date(q.end_date) : new Date();
      const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - MAX_DAYS * 86_400_000);
      if (end.getTime() - start.getTime() > MAX_DAYS * 86_400_000) throw new Open311Error(400, `start_date and end_date may span at most ${MAX_DAYS} days`);
      if (end < start) throw new Open311Error(400, 'end_date is before start_date');
      filter.createdAt = { $gte: start, $lte: end };
    }
    if (q.service_code) filter.category = q.service_code;
    if (q.status) filter.status = q.status === 'closed' ? 'closed' : { $ne: 'closed' };
    const docs = await Case.find(filter).sort({ _id: -1 }).limit(1000).lean<CaseDoc[]>();
    ctx.body = await Promise.all(docs.map((c) => requestView(c, services.cases.holderName)));
  });

  router.get('/requests/:id.json', async (ctx) => {
    const communityId = await communityOf(typeof ctx.query.jurisdiction_id === 'string' ? ctx.query.jurisdiction_id : undefined);
    const c = await Case.findOne({ communityId, number: String(ctx.params.id) }).lean<CaseDoc>();
    if (!c) throw new Open311Error(404, 'service_request_id not found');
    ctx.body = [await requestView(c, services.cases.holderName)];
  });

  // GeoReport clients post form-encoded bodies; only these routes accept them.
  router.post('/requests.json', async (ctx: ParameterizedContext<AppState>, next) => {
    ctx.disableBodyParser = false;
    await next();
  }, bodyParser({ enableTypes: ['form', 'json'], formLimit: '16kb', jsonLimit: '16kb' }), async (ctx) => {
    const body = createBody.parse(ctx.request.body ?? {});
    if (!keys.has(body.api_key)) throw new Open311Error(403, 'api_key is not valid');
    const communityId = await communityOf(body.jurisdiction_id);
    const building = await findBuilding(communityId, body.address_id, body.address_string);
    const created = await services.cases.createFromHotline({
      communityId,
      building,
      category: body.service_code,
      text: body.description,
      spot: body.address_string ?? building.name,
      callerName: [body.last_name, body.first_name].filter(Boolean).join('') || '12345热线来电人',
      callerPhone: body.phone ?? null,
      reference: body.account_id ?? null,
    });
    ctx.status = 201;
    ctx.body = [{ service_request_id: created.number, service_notice: `已转${await services.cases.holderName(created)}，承诺${shanghaiDate(created.promisedBy)}前处理`, account_id: body.account_id ?? null }];
  });

  return router;
}

async function findBuilding(communityId: Types.ObjectId, addressId: string | undefined, address: string | undefined): Promise<BuildingDoc> {
  if (addressId) {
    const b = await Building.findOne({ _id: new Types.ObjectId(addressId), communityId }).lean<BuildingDoc>();
    if (b) return b;
  }
  if (address) {
    const buildings = await Building.find({ communityId }).lean<BuildingDoc[]>();
    const match = buildings.filter((b) => address.includes(b.name)).sort((a, b) => b.name.length - a.name.length)[0];
    if (match) return match;
  }
  throw new Open311Error(400, 'address_id or address_string must name a building of this community (e.g. "3号楼")');
}
