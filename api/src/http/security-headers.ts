import type { Middleware } from 'koa';

/**
 * The API answers JSON and files only, so the header set is short and strict;
 * helmet's defaults are tuned for HTML pages and would add nothing here.
 */
export function securityHeaders(production: boolean): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    ctx.set('Cross-Origin-Resource-Policy', 'same-site');
    ctx.set('Cache-Control', ctx.response.get('Cache-Control') || 'no-store');
    if (production) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    ctx.remove('X-Powered-By');
  };
}
