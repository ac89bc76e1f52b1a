import type { Middleware } from 'koa';
import { AppError } from '../app-error.js';
import { countHit } from '../db/rate-counter.js';
import type { AppState } from './types.js';

export interface RateLimitRule {
  /** A name for the bucket, e.g. 'login'. */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/** Limits requests per client address for one bucket. */
export function rateLimit(rule: RateLimitRule): Middleware<AppState> {
  return async (ctx, next) => {
    const { count, resetAt } = await countHit(`${rule.bucket}:${ctx.ip}`, rule.windowSeconds);
    if (count > rule.limit) {
      const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
      ctx.set('Retry-After', String(retryAfter));
      throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: retryAfter });
    }
    await next();
  };
}
