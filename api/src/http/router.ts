import Router from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import { AppError } from '../app-error.js';
import { idempotent, type Outcome } from '../db/idempotency.js';
import { rateLimit } from './rate-limit.js';
import { FileResponse, Reply, type AnyRoute, type RouteRequest } from './route.js';
import type { Actor, AppState } from './types.js';
import { validate } from './validate.js';

export type Authenticate = (bearerToken: string) => Promise<Actor>;

/**
 * Builds the router from the route table. Every route goes through the same
 * chain, in this order: authenticate → role guard → rate limit → validate →
 * handler. The guard comes before validation so a caller without the right
 * role learns nothing about the payload the route expects.
 */
export function buildRouter(routes: readonly AnyRoute[], authenticate: Authenticate, options: { idempotencyKeepMinutes: number } = { idempotencyKeepMinutes: 60 }): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/v1' });
  for (const spec of routes) {
    const chain: Middleware<AppState>[] = [];
    if (spec.unlinkable) chain.push(markUnlinkable(spec.path));
    if (spec.access !== 'public') chain.push(requireActor(authenticate), guard(spec));
    if (spec.rateLimit) chain.push(rateLimit(spec.rateLimit));
    chain.push(handle(spec, options.idempotencyKeepMinutes));
    router[spec.method](spec.path, ...chain);
  }
  return router;
}

function markUnlinkable(pattern: string): Middleware<AppState> {
  return async (ctx, next) => {
    ctx.state.unlinkable = { pattern };
    await next();
  };
}

function requireActor(authenticate: Authenticate): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header);
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED');
    ctx.state.actor = await authenticate(match[1]);
    await next();
  };
}

function guard(spec: AnyRoute): Middleware<AppState> {
  const allowed = spec.access;
  return async (ctx, next) => {
    if (allowed !== 'signedIn' && allowed !== 'public') {
      const roles = ctx.state.actor?.roles ?? [];
      if (!roles.some((r) => allowed.includes(r))) throw new AppError('FORBIDDEN');
    }
    await next();
  };
}

function handle(spec: AnyRoute, idempotencyKeepMinutes: number): Middleware<AppState> {
  return async (ctx) => {
    const rawBody = spec.rawBody ? await readRawBody(ctx, spec.rawBody) : undefined;
    const request: RouteRequest<unknown, unknown, unknown> = {
      body: spec.body ? validate(spec.body, (ctx.request as { body?: unknown }).body, 'body') : undefined,
      query: spec.query ? validate(spec.query, { ...ctx.query }, 'query') : undefined,
      params: spec.params ? validate(spec.params, { ...ctx.params }, 'params') : undefined,
      actor: ctx.state.actor,
      rawBody,
      ip: ctx.ip,
      requestId: ctx.state.requestId,
      log: ctx.state.log,
      header: (name) => ctx.get(name),
      koa: ctx,
    };
    const execute = async (): Promise<Outcome | FileResponse> => {
      const result = await spec.handler(request as never);
      if (result instanceof FileResponse) return result;
      if (result instanceof Reply) return { status: result.status, body: result.body };
      return { status: spec.successStatus ?? (result === undefined ? 204 : 200), body: result };
    };
    const key = ctx.get('Idempotency-Key');
    let outcome: Outcome | FileResponse;
    if (spec.idempotent && !spec.unlinkable && key) {
      if (!/^[A-Za-z0-9_-]{8,128}$/.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 格式不正确（8到128位字母、数字、_ 或 -）');
      const scope = `${ctx.state.actor?.id ?? ctx.ip}:${spec.method}:${spec.path}`;
      outcome = await idempotent(scope, key, { body: request.body, params: request.params }, execute as () => Promise<Outcome>, { keepMinutes: idempotencyKeepMinutes });
    } else {
      outcome = await execute();
    }
    if (outcome instanceof FileResponse) {
      ctx.status = spec.successStatus ?? 200;
      ctx.type = outcome.contentType;
      if (outcome.filename) ctx.attachment(outcome.filename);
      ctx.body = outcome.data;
      return;
    }
    ctx.status = outcome.status;
    if (outcome.body !== undefined) ctx.body = outcome.body;
  };
}

async function readRawBody(
  ctx: ParameterizedContext<AppState>,
  limits: { maxBytes: number; contentTypes: readonly string[] },
): Promise<Buffer> {
  const type = (ctx.get('Content-Type').split(';')[0] ?? '').trim().toLowerCase();
  if (!limits.contentTypes.includes(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', undefined, { accepted: limits.contentTypes });
  const declared = Number(ctx.get('Content-Length') || 0);
  if (declared > limits.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', undefined, { maxBytes: limits.maxBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limits.maxBytes) {
      ctx.req.destroy();
      throw new AppError('PAYLOAD_TOO_LARGE', undefined, { maxBytes: limits.maxBytes });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
