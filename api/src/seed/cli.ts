import { loadConfig } from '../config.js';
import { connectDatabase, disconnectDatabase } from '../db/connection.js';
import { createLogger } from '../logger.js';
import { createServices } from '../modules/services.js';
import { seedDemoDeliberation } from './deliberation.js';
import { demoLoginsText, linkDemoPropertyDesk, seedDemo } from './demo.js';

/** `npm run seed`: seeds the demo community once and prints the logins. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('The demo community is never seeded in production.');
  const logger = createLogger('warn');
  await connectDatabase(config.mongodbUri, config.mongodbDb, logger);
  const services = createServices(config);
  const result = await seedDemo(services, config.wechat.appid);
  await seedDemoDeliberation(services, result.communityId);
  await linkDemoPropertyDesk(result.communityId);
  process.stdout.write(result.created ? '已创建演示社区：滨河社区（600套房）\n' : '演示社区已存在，未重复创建\n');
  process.stdout.write(`${demoLoginsText()}\n`);
  await disconnectDatabase();
}

void main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
