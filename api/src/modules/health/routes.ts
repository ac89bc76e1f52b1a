import { z } from 'zod';
import type { DatabaseInfo } from '../../db/connection.js';
import { pingDatabase } from '../../db/connection.js';
import { Reply, defineRoute } from '../../http/route.js';

export const healthView = z
  .object({
    status: z.enum(['ok', 'down']),
    uptimeSeconds: z.number().int(),
    database: z.object({
      state: z.enum(['up', 'down']),
      server: z.enum(['ferretdb', 'mongodb']),
      version: z.string(),
      latencyMs: z.number().nullable(),
    }),
  })
  .meta({ id: 'Health' });

export function healthRoutes(database: DatabaseInfo) {
  const startedAt = Date.now();
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      tag: 'health',
      summary: '服务与数据库状态（数据库不可用时返回 503）',
      access: 'public',
      response: healthView,
      handler: async () => {
        let latencyMs: number | null = null;
        try {
          latencyMs = await pingDatabase();
        } catch {
          latencyMs = null;
        }
        const up = latencyMs !== null;
        const body = {
          status: up ? ('ok' as const) : ('down' as const),
          uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
          database: { state: up ? ('up' as const) : ('down' as const), server: database.server, version: database.version, latencyMs },
        };
        return new Reply(up ? 200 : 503, body);
      },
    }),
  ];
}
