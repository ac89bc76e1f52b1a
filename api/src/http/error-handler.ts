import type { Middleware } from 'koa';
import { errorCatalogue, type ErrorBody } from '@community/shared';
import { AppError } from '../app-error.js';
import { isDatabaseUnavailable, isDuplicateKey } from '../db/connection.js';
import type { AppState } from './types.js';

/**
 * The first middleware: whatever goes wrong below becomes
 * `{ error: { code, message, details } }`. 5xx answers never carry internals;
 * the request id in the log and the `X-Request-Id` header ties them together.
 */
export function errorHandler(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const error = toAppError(raw);
      ctx.status = error.status;
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.details) body.error.details = error.details;
      ctx.body = body;
      const log = ctx.state.log;
      if (error.status >= 500) log?.error({ err: raw, code: error.code }, 'request failed');
      else log?.info({ code: error.code, status: error.status }, 'request refused');
    }
  };
}

function toAppError(raw: unknown): AppError {
  if (raw instanceof AppError) return raw;
  if (isDatabaseUnavailable(raw)) return new AppError('DATABASE_UNAVAILABLE');
  if (isDuplicateKey(raw)) return new AppError('CONFLICT');
  const http = raw as { status?: number; type?: string; expose?: boolean };
  // Errors raised by the body parser (co-body / raw-body) carry a status.
  if (http?.status === 413 || http?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
  if (http?.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (http?.status === 400 && http.expose) return new AppError('BAD_JSON');
  if (http?.status === 404) return new AppError('ROUTE_NOT_FOUND');
  if (http?.status === 405) return new AppError('ROUTE_NOT_FOUND', '这个接口不支持该请求方式');
  return new AppError('INTERNAL', errorCatalogue.INTERNAL.message);
}
