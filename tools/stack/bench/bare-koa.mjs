// @ts-check
/**
 * The framework ceiling of `npm run bench`: Koa and nothing else, one route
 * answering a small JSON, in a process of its own (like the API), on
 * 127.0.0.1. Prints `bare-koa: ready http://127.0.0.1:<port>` once listening;
 * SIGTERM / SIGINT close it.
 *
 *   node tools/stack/bench/bare-koa.mjs [--port 0]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Resolved from the repository root, where the workspace install put it.
const Koa = /** @type {typeof import('koa')} */ (createRequire(path.join(repoRoot, 'package.json'))('koa'));

const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

const app = new Koa();
app.use((ctx) => {
  if (ctx.method === 'GET' && ctx.path === '/health') {
    ctx.body = { status: 'ok', uptimeSeconds: Math.floor(process.uptime()) };
    return;
  }
  ctx.status = 404;
  ctx.body = { error: 'NOT_FOUND' };
});

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`bare-koa: ready http://127.0.0.1:${actual}\n`);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
