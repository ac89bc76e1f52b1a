import type { ParameterizedContext } from 'koa';
import type { ZodType, z } from 'zod';
import type { Role } from '@community/shared';
import type { Logger } from '../logger.js';
import type { Actor, AppState } from './types.js';
import type { RateLimitRule } from './rate-limit.js';

/** Who may call a route: anyone, any signed-in person, or holders of one of the roles. */
export type Access = 'public' | 'signedIn' | readonly Role[];

type Infer<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Present on every route whose access is not 'public'. */
  actor: Actor | undefined;
  rawBody: Buffer | undefined;
  ip: string;
  requestId: string;
  log: Logger;
  header(name: string): string;
  koa: ParameterizedContext<AppState>;
}

/** A file answer (exports, images) instead of JSON. */
export class FileResponse {
  constructor(
    readonly data: Buffer,
    readonly contentType: string,
    readonly filename?: string,
  ) {}
}

/** A JSON answer whose status depends on the outcome (e.g. health: 200 or 503). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export interface RouteSpec<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path below /api/v1, e.g. '/staff/bindings/:bindingId/approve'. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** For uploads: the raw request body, limited in size and type. */
  rawBody?: { maxBytes: number; contentTypes: readonly string[] };
  response?: ZodType;
  successStatus?: number;
  rateLimit?: RateLimitRule;
  /** Honour an `Idempotency-Key` header: a repeat returns the first result. */
  idempotent?: boolean;
  /**
   * Secret-ballot writes: nothing may tie the request to the person making it.
   * The request log carries no user id and no object path (only the route's
   * pattern), and no idempotency record is kept — a stored answer keyed by the
   * caller would be exactly the link the route must not leave. The handler
   * brings its own replay protection (a unique "has voted" record).
   */
  unlinkable?: boolean;
  handler: (req: RouteRequest<Infer<B>, Infer<Q>, Infer<P>>) => Promise<unknown>;
}

export type AnyRoute = RouteSpec<ZodType | undefined, ZodType | undefined, ZodType | undefined>;

/** Identity function that keeps the schema types flowing into the handler. */
export function defineRoute<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): AnyRoute {
  return spec as unknown as AnyRoute;
}

/** The signed-in actor of a non-public route (the guard has already ensured it). */
export function actorOf(req: { actor: Actor | undefined }): Actor {
  if (!req.actor) throw new Error('actorOf used on a public route');
  return req.actor;
}
