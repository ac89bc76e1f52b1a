import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import type { AppState } from './types.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (the caller's, when it looks safe, so a trace spans
 * the gateway and us) and a child logger, and logs one line per request.
 */
export function requestContext(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const hidden = ctx.state.unlinkable;
      // A secret ballot's log line says that a ballot route answered, not who called it, for
      // which poll, or to the millisecond (the order of such lines would pair voters with ballots).
      (hidden ? logger : ctx.state.log).info(
        hidden
          ? { method: ctx.method, path: `/api/v1${hidden.pattern}`, status: ctx.status }
          : {
              method: ctx.method,
              path: ctx.path,
              status: ctx.status,
              ms: Math.round((performance.now() - started) * 10) / 10,
              userId: ctx.state.actor?.id,
            },
        'request',
      );
    }
  };
}
