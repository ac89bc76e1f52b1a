import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { residentPersonas, staffPersonas } from '../../seed/personas.js';

const personaList = z.object({
  items: z.array(z.object({ code: z.string(), label: z.string(), description: z.string() })),
});

/** Registered only outside production (config refuses DEV_PERSONAS there). */
export function devRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/dev/personas',
      tag: 'dev',
      summary: '演示用的登录身份（仅开发环境）',
      access: 'public',
      response: personaList,
      handler: async () => ({
        items: [
          ...residentPersonas.map((p) => ({ code: `test-${p.openid}`, label: p.label, description: p.description })),
          ...staffPersonas
            .filter((p) => p.openid)
            .map((p) => ({ code: `test-${p.openid!}`, label: p.displayName, description: p.description })),
        ],
      }),
    }),
  ];
}
