import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { ParameterizedContext } from 'koa';
import { Types } from 'mongoose';
import { z } from 'zod';
import { caseCategories, caseCategoryLabels, shanghaiDate, type CaseCategory } from '@community/shared';
import type { Config } from '../../config.js';
import type { AppState } from '../../http/types.js';
import { AppError } from '../../app-error.js';
import { rateLimit } from '../../http/rate-limit.js';
import { knownNamesFor } from '../../privacy/community-names.js';
import { scrubPublicText, type KnownNames } from '../../privacy/scrub.js';
import { Building, type BuildingDoc } from '../space/models.js';
import { Case, CaseStep, type CaseDoc } from '../case/models.js';
import type { Services } from '../services.js';

/**
 * Open311 GeoReport v2 beside our own API, for the city hotline (12345):
 * services, requests (read and write with an api_key), in the standard's own
 * field names and error shape. Reading needs no key, so what it shows is what
 * anyone may know: the kind of problem, its state in fixed words, the
 * building, and the resident's text with names, rooms and numbers masked.
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
/** GeoReport v2 leaves paging to the server; 100 a page keeps one anonymous call cheap. */
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 1000;
/**
 * Per client address. The feed is public (no key), so without a limit one
 * script could page through every case of the year in seconds (finding 4:
 * 200 list calls in 6 s). A hotline that polls every few seconds stays well below.
 */
const readLimit = rateLimit({ bucket: 'open311-read', limit: 60, windowSeconds: 60 });
const writeLimit = rateLimit({ bucket: 'open311-write', limit: 120, windowSeconds: 60 });

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be a W3C date-time with a time zone, e.g. 2026-01-05T08:00:00+08:00' });
/** "a,b" as the standard writes several values; each one checked. */
const commaList = <T extends z.ZodType<string, string>>(item: T, max: number) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(max));
const requestId = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'is not a service_request_id');
const intParam = (min: number, max: number) => z.string().regex(/^\d{1,6}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

const listQuery = z.object({
  service_code: commaList(z.enum(serviceCodes, { error: 'unknown service_code' }), serviceCodes.length).optional(),
  status: commaList(z.enum(['open', 'closed'], { error: 'status is open or closed' }), 2).optional(),
  start_date: isoDateTime.optional(),
  end_date: isoDateTime.optional(),
  service_request_id: commaList(requestId, 50).optional(),
  jurisdiction_id: z.string().max(40).optional(),
  page: intParam(1, MAX_PAGE).optional(),
  page_size: intParam(1, MAX_PAGE_SIZE).optional(),
});
const showQuery = z.object({ jurisdiction_id: z.string().max(40).optional() });

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
 * The public note is fixed wording per state. The desks' own notes (a resolve
 * note, a pause reason, a rating comment, a visit record) are written for the
 * resident and name them, their room and their phone; none is published.
 */
const publicStatusNotes: Record<CaseDoc['status'], string> = {
  submitted: '已受理，等待处理单位接单',
  accepted: '处理中',
  paused: '处理中（暂缓，等待条件具备）',
  resolved: '已处理，等待反映人确认',
  closed: '已办结',
};

/** Where, for the public: the building only. A room, or a spot a resident typed, can name a household. */
function addressOf(c: CaseDoc, buildingName: string): string {
  return `${buildingName}${c.placeKind === 'room' ? '（居民家中）' : '（公共区域）'}`;
}

type Step = { at: Date; byName: string };

/** One service request in GeoReport v2 fields: only what the public may read. */
function requestView(c: CaseDoc, steps: Step[], buildingName: string, agency: string, names: KnownNames) {
  const last = steps.at(-1);
  return {
    service_request_id: c.number,
    status: statusOf(c),
    status_notes: publicStatusNotes[c.status],
    service_name: caseCategoryLabels[c.category],
    service_code: c.category,
    description: scrubPublicText(c.text, names),
    agency_responsible: agency,
    service_notice: null,
    requested_datetime: c.createdAt.toISOString(),
    updated_datetime: (last?.at ?? c.createdAt).toISOString(),
    expected_datetime: c.status === 'closed' || c.status === 'resolved' ? null : c.promisedBy.toISOString(),
    address: addressOf(c, buildingName),
    address_id: c.buildingId.toHexString(),
    zipcode: null,
    lat: null,
    long: null,
    media_url: null,
  };
}

/** The standard's error answer: `[{ code, description }]`, whatever went wrong. */
function errorReply(error: unknown): { status: number; description: string; internal: boolean } {
  if (error instanceof Open311Error) return { status: error.status, description: error.message, internal: false };
  if (error instanceof z.ZodError) {
    return { status: 400, description: error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '), internal: false };
  }
  if (error instanceof AppError && error.status < 500) {
    const wait = error.details?.retryAfterSeconds;
    return { status: error.status, description: error.code === 'RATE_LIMITED' ? `too many requests, retry after ${String(wait ?? 60)} seconds` : error.message, internal: false };
  }
  // Body parser errors (malformed or oversized form bodies) carry their own 4xx status.
  const http = error as { status?: number; expose?: boolean };
  if (typeof http?.status === 'number' && http.status >= 400 && http.status < 500 && http.expose) {
    return { status: http.status, description: http.status === 413 ? 'request body too large' : 'request body could not be read', internal: false };
  }
  return { status: 500, description: 'internal error', internal: true };
}

export function open311Router(config: Config, services: Services) {
  const router = new Router<AppState>({ prefix: '/open311/v2' });
  const keys = new Set(config.open311ApiKeys);

  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const reply = errorReply(error);
      ctx.status = reply.status;
      ctx.body = [{ code: reply.status, description: reply.description }];
      if (reply.internal) ctx.state.log.error({ err: error }, 'open311 request failed');
    }
  });

  const communityOf = async (jurisdiction: string | undefined) => {
    try {
      return await services.cases.communityFor(jurisdiction);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw new Open311Error(404, 'jurisdiction_id not found');
      throw error;
    }
  };

  /** The views of a page of cases, each building and desk read once. */
  async function views(communityId: Types.ObjectId, docs: CaseDoc[]) {
    const buildings = new Map<string, Promise<string>>();
    const agencies = new Map<string, Promise<string>>();
    const buildingName = (c: CaseDoc) => {
      const key = c.buildingId.toHexString();
      if (!buildings.has(key)) buildings.set(key, Building.findById(c.buildingId).select({ name: 1 }).lean<{ name: string }>().then((b) => b?.name ?? ''));
      return buildings.get(key)!;
    };
    const agency = (c: CaseDoc) => {
      const key = `${c.level}:${c.propertyCompanyId?.toHexString() ?? ''}`;
      if (!agencies.has(key)) agencies.set(key, services.cases.holderName(c));
      return agencies.get(key)!;
    };
    const steps = await Promise.all(docs.map((c) => CaseStep.find({ caseId: c._id }).sort({ at: 1, _id: 1 }).select({ at: 1, byName: 1 }).lean<Step[]>()));
    // Names this page alone knows: its reporters (hotline callers too) and everyone who handled its cases.
    const names = await knownNamesFor(communityId, [...docs.flatMap((c) => [c.reporterName, c.reporterPhone]), ...steps.flat().map((s) => s.byName)]);
    return Promise.all(docs.map(async (c, i) => requestView(c, steps[i]!, await buildingName(c), await agency(c), names)));
  }

  router.get('/services.json', readLimit, async (ctx) => {
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

  router.get('/services/:code.json', readLimit, async (ctx) => {
    const code = z.enum(serviceCodes).safeParse(ctx.params.code);
    if (!code.success) throw new Open311Error(404, 'service_code not found');
    ctx.body = { service_code: code.data, attributes: [] };
  });

  router.get('/requests.json', readLimit, async (ctx) => {
    const q = listQuery.parse(ctx.query);
    const communityId = await communityOf(q.jurisdiction_id);
    const filter: Record<string, unknown> = { communityId };
    if (q.service_request_id) {
      // The standard: with ids, every other filter is ignored.
      filter.number = { $in: q.service_request_id };
    } else {
      const end = q.end_date ? new Date(q.end_date) : new Date();
      const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - MAX_DAYS * 86_400_000);
      if (end < start) throw new Open311Error(400, 'end_date is before start_date');
      if (end.getTime() - start.getTime() > MAX_DAYS * 86_400_000) throw new Open311Error(400, `start_date and end_date may span at most ${MAX_DAYS} days`);
      filter.createdAt = { $gte: start, $lte: end };
      if (q.service_code) filter.category = q.service_code.length === 1 ? q.service_code[0] : { $in: q.service_code };
      const statuses = new Set(q.status ?? []);
      if (statuses.size === 1) filter.status = statuses.has('closed') ? 'closed' : { $ne: 'closed' };
    }
    const size = q.page_size ?? PAGE_SIZE;
    const page = q.page ?? 1;
    // Newest first, as the standard orders them; one more than a page tells whether another follows.
    const docs = await Case.find(filter).sort({ createdAt: -1, _id: -1 }).skip((page - 1) * size).limit(size + 1).lean<CaseDoc[]>();
    if (docs.length > size) {
      docs.pop();
      const next = new URLSearchParams(ctx.querystring);
      next.set('page', String(page + 1));
      next.set('page_size', String(size));
      ctx.set('Link', `<${ctx.path}?${next.toString()}>; rel="next"`);
    }
    ctx.body = await views(communityId, docs);
  });

  router.get('/requests/:id.json', readLimit, async (ctx) => {
    const q = showQuery.parse(ctx.query);
    const id = requestId.safeParse(ctx.params.id);
    if (!id.success) throw new Open311Error(404, 'service_request_id not found');
    const communityId = await communityOf(q.jurisdiction_id);
    const c = await Case.findOne({ communityId, number: id.data }).lean<CaseDoc>();
    if (!c) throw new Open311Error(404, 'service_request_id not found');
    ctx.body = await views(communityId, [c]);
  });

  // GeoReport clients post form-encoded bodies; only these routes accept them.
  router.post('/requests.json', writeLimit, async (ctx: ParameterizedContext<AppState>, next) => {
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

  // Anything else below /open311/v2 (a .xml format, a typo) answers in the standard's shape too.
  router.all('/{*rest}', readLimit, async (ctx) => {
    if (ctx.path.endsWith('.xml')) throw new Open311Error(400, 'only the JSON format is offered: use .json');
    throw new Open311Error(404, 'not found');
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
