import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { connectDatabase, disconnectDatabase } from './db/connection.js';
import { sweepExpired } from './db/expiry.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const database = await connectDatabase(config.mongodbUri, config.mongodbDb, logger);
  const app = createApp({ config, logger, database });
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ url: `http://${config.host}:${port}`, env: config.env, database }, 'api listening');
  });
  server.keepAliveTimeout = 65_000;

  // Keep every service's rolling window of slots filled. Idempotent upserts, so
  // several API instances doing it at once do no harm; no leader is needed.
  const roll = () =>
    void app.services.bookings
      .rollAllSlots()
      .then((created) => created && logger.info({ created }, 'slots rolled'))
      .catch((err: unknown) => logger.warn({ err }, 'slot roll failed'));
  roll();
  const rolling = setInterval(roll, 60 * 60_000);
  rolling.unref();

  // Subscribe messages and reminders go out from here, never from the request
  // that caused them. Both claim their work with guarded updates, so any number
  // of instances can run this loop.
  let busy = false;
  const deliver = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.all([
      app.services.notifications.processQueue(),
      app.services.bookings.sendDueReminders(),
      app.services.bookings.expireWaitlists(),
      app.services.polls.tick(),
      app.services.cases.sweep(),
    ])
      .catch((err: unknown) => logger.warn({ err }, 'delivery round failed'))
      .finally(() => {
        busy = false;
      });
  }, 5_000);
  deliver.unref();

  // Idempotency answers, rate-limit windows and login throttles past their time. MongoDB's TTL
  // indexes do this by themselves; on FerretDB this is what does it. A delete of what has
  // expired is the same whichever instance runs it, so no lease is needed.
  const sweep = setInterval(() => {
    void sweepExpired()
      .then((removed) => logger.debug({ removed }, 'expired records swept'))
      .catch((err: unknown) => logger.warn({ err }, 'sweep of expired records failed'));
  }, 10 * 60_000);
  sweep.unref();

  // Graceful shutdown: stop accepting, let requests in flight finish (at most
  // 10 s), then close the database connection.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(rolling);
    clearInterval(deliver);
    clearInterval(sweep);
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void disconnectDatabase().finally(() => {
        logger.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main().catch((error: unknown) => {
  process.stderr.write(`api failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
