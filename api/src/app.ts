import Koa from 'koa';
import cors from '@koa/cors';
import { bodyParser } from '@koa/bodyparser';
import type { Config } from './config.js';
import type { DatabaseInfo } from './db/connection.js';
import { AppError } from './app-error.js';
import { errorHandler } from './http/error-handler.js';
import { buildOpenApi } from './http/openapi.js';
import { requestContext } from './http/request-context.js';
import { defineRoute, type AnyRoute } from './http/route.js';
import { buildRouter } from './http/router.js';
import { securityHeaders } from './http/security-headers.js';
import type { AppState } from './http/types.js';
import type { Logger } from './logger.js';
import { accountRoutes } from './modules/account/routes.js';
import { campaignRoutes } from './modules/activity/campaign-routes.js';
import { certificateRoutes } from './modules/certificate/routes.js';
import { caseRoutes } from './modules/case/routes.js';
import { open311Router } from './modules/open311/routes.js';
import { activityRoutes } from './modules/activity/routes.js';
import { authorityRoutes } from './modules/authority/routes.js';
import { bookingRoutes } from './modules/booking/routes.js';
import { bookingStaffRoutes } from './modules/booking/staff-routes.js';
import { notificationRoutes } from './modules/notification/routes.js';
import { accountStaffRoutes } from './modules/account/staff-routes.js';
import { devRoutes } from './modules/dev/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { createServices, type Services } from './modules/services.js';
import { pollRoutes } from './modules/poll/routes.js';
import { pollStaffRoutes } from './modules/poll/staff-routes.js';
import { spaceRoutes } from './modules/space/routes.js';
import { topicRoutes } from './modules/topic/routes.js';
import { meetingRoutes } from './modules/meeting/routes.js';
import { uploadRoutes } from './modules/upload/routes.js';
import { spaceStaffRoutes } from './modules/space/staff-routes.js';

export const API_VERSION = '0.1.0';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: DatabaseInfo;
  services?: Services;
}

/** The whole route table: the router, the OpenAPI document and the guard-matrix test read it. */
export function routeTable(config: Config, services: Services, database: DatabaseInfo): AnyRoute[] {
  const routes: AnyRoute[] = [
    ...healthRoutes(database),
    ...accountRoutes(services, config),
    ...accountStaffRoutes(services),
    ...spaceRoutes(services),
    ...spaceStaffRoutes(services),
    ...notificationRoutes(services, config),
    ...authorityRoutes(services),
    ...bookingRoutes(services),
    ...bookingStaffRoutes(services),
    ...uploadRoutes(services),
    ...pollRoutes(services),
    ...pollStaffRoutes(services),
    ...topicRoutes(services),
    ...meetingRoutes(services),
    ...activityRoutes(services),
    ...certificateRoutes(services),
    ...campaignRoutes(services),
    ...caseRoutes(services),
    ...(config.devPersonas ? devRoutes() : []),
  ];
  let openapi: unknown;
  routes.push(
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      tag: 'meta',
      summary: '本接口的 OpenAPI 3 描述',
      access: 'public',
      handler: async () => (openapi ??= buildOpenApi(routes, API_VERSION)),
    }),
  );
  return routes;
}

/** Builds the Koa app without listening, so tests can drive it on port 0. */
export function createApp({ config, logger, database, services = createServices(config) }: AppDeps) {
  const app = new Koa<AppState>({ proxy: config.trustProxy });
  const routes = routeTable(config, services, database);
  const router = buildRouter(routes, (token) => services.accounts.authenticate(token), { idempotencyKeepMinutes: config.idempotencyKeepMinutes });

  app.use(requestContext(logger));
  app.use(errorHandler());
  app.use(securityHeaders(config.env === 'production'));
  app.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('Origin');
        return config.corsOrigins.includes(origin) ? origin : '';
      },
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposeHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );
  // Open311 reads its own (form-encoded) bodies; the JSON parser leaves them alone.
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/open311/')) ctx.disableBodyParser = true;
    await next();
  });
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '64kb',
      jsonStrict: true,
      onError: (error) => {
        const status = (error as { status?: number }).status;
        if (status === 413) throw new AppError('PAYLOAD_TOO_LARGE');
        throw new AppError('BAD_JSON');
      },
    }),
  );
  const open311 = open311Router(config, services);
  app.use(open311.routes());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  app.use(async () => {
    throw new AppError('ROUTE_NOT_FOUND');
  });
  return Object.assign(app, { routeTable: routes, services });
}
