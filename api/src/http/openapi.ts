import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { errorCatalogue } from '@community/shared';
import type { AnyRoute } from './route.js';

const errorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(errorCatalogue) as [string, ...string[]]),
      message: z.string().meta({ description: '给用户看的中文说明' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** OpenAPI 3.1 generated from the route table and the shared zod schemas. */
export function buildOpenApi(routes: readonly AnyRoute[], version: string): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of routes) {
    const path = `/api/v1${spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const operation: ZodOpenApiOperationObject = {
      summary: spec.summary,
      tags: [spec.tag],
      description: describeAccess(spec),
      responses: {
        [String(spec.successStatus ?? 200)]: {
          description: 'OK',
          ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
        },
        default: { description: '错误', content: { 'application/json': { schema: errorBody } } },
      },
    };
    if (spec.access !== 'public') operation.security = [{ bearer: [] }];
    const requestParams: NonNullable<ZodOpenApiOperationObject['requestParams']> = {};
    if (spec.params) requestParams.path = spec.params as never;
    if (spec.query) requestParams.query = spec.query as never;
    if (spec.params || spec.query) operation.requestParams = requestParams;
    if (spec.body) operation.requestBody = { content: { 'application/json': { schema: spec.body } } };
    if (spec.rawBody) {
      operation.requestBody = {
        content: Object.fromEntries(spec.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
      };
    }
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: '社区服务 API', version },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  });
}

function describeAccess(spec: AnyRoute): string {
  if (spec.access === 'public') return '无需登录';
  if (spec.access === 'signedIn') return '需要登录';
  return `角色：${spec.access.join(', ')}`;
}
