// @ts-check
/**
 * `npm start`: the whole app on this machine. Starts the embedded database
 * (unless MONGODB_URI is set), the WeChat stand-in and the API; seeds the demo
 * community the first time; builds the weapp (open miniapp/dist/weapp's parent
 * folder, the repository root, in WeChat DevTools) and the H5 app; serves H5.
 * Ctrl-C stops everything it started.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  buildTypescript,
  ensureInstalled,
  repoRoot,
  run,
  say,
  startApi,
  startDevdb,
  startStandin,
  stopAllOnExit,
} from './lib.mjs';
import { writeAppId } from './project-config.mjs';
import { serveH5 } from './serve-h5.mjs';

const API_PORT = Number(process.env.PORT ?? 3000);
const H5_PORT = Number(process.env.H5_PORT ?? 10086);

ensureInstalled();
/** @type {Array<{ stop: () => Promise<void> }>} */
const started = [];
const stopAll = stopAllOnExit(started);

try {
  let mongodbUri = process.env.MONGODB_URI;
  if (mongodbUri) {
    say(`Using the database at MONGODB_URI (nothing is built or started for it)`);
  } else {
    const db = await startDevdb({ port: Number(process.env.DEVDB_PORT ?? 27017), quiet: true });
    started.push(db);
    mongodbUri = db.uri;
    say(`Embedded database: ${db.storage} on ${db.uri}`);
  }
  let wxApiBase = process.env.WX_API_BASE;
  if (!wxApiBase) {
    const standin = await startStandin();
    started.push(standin);
    wxApiBase = standin.baseUrl;
    say(`WeChat stand-in on ${wxApiBase}`);
  }

  say('Compiling the API…');
  buildTypescript();
  const apiEnv = {
    // The quick start runs on the development defaults (demo logins, known keys); anything else must be explicit.
    NODE_ENV: process.env.NODE_ENV === 'test' ? 'test' : 'development',
    MONGODB_URI: mongodbUri,
    WX_API_BASE: wxApiBase,
    CORS_ORIGINS: `http://127.0.0.1:${H5_PORT},http://localhost:${H5_PORT}`,
    PUBLIC_H5_URL: `http://127.0.0.1:${H5_PORT}`,
  };
  say('Seeding the demo community (only the first time)…');
  run(process.execPath, [path.join(repoRoot, 'api/dist/seed/cli.js')], { env: { ...process.env, ...apiEnv } });

  const api = await startApi({ port: API_PORT, env: apiEnv, quiet: false });
  started.push(api);
  say(`API on ${api.baseUrl} (OpenAPI: ${api.baseUrl}/api/v1/openapi.json)`);

  if (process.env.SKIP_BUILDS !== '1') {
    say('Building the weapp for WeChat DevTools…');
    writeAppId();
    run('npm', ['run', 'build:weapp', '-w', 'miniapp'], {
      env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: api.baseUrl, TARO_APP_DEV_LOGIN: '1' },
    });
    say('Building the H5 app…');
    run('npm', ['run', 'build:h5', '-w', 'miniapp'], {
      env: { ...process.env, NODE_ENV: 'production', TARO_APP_API_BASE: '', TARO_APP_DEV_LOGIN: '1' },
    });
  }
  const h5 = await serveH5({ root: path.join(repoRoot, 'miniapp/dist/h5'), apiUrl: api.baseUrl, port: H5_PORT });
  started.push({ stop: h5.close });

  const opener = process.env.DISPLAY && spawnSync('sh', ['-c', 'command -v xdg-open']).status === 0;
  if (opener) spawnSync('xdg-open', [h5.url], { stdio: 'ignore' });
  process.stdout.write(
    [
      '',
      `  社区服务小程序已启动`,
      `  浏览器打开（H5，建议手机尺寸 375×667）: ${h5.url}`,
      `  微信开发者工具：导入本仓库根目录（project.config.json 指向 miniapp/dist/weapp）`,
      `  API: ${api.baseUrl}    演示账号见 README.md`,
      `  按 Ctrl-C 停止全部服务`,
      '',
    ].join('\n'),
  );
} catch (error) {
  process.stderr.write(`\n${/** @type {Error} */ (error).message}\n`);
  await stopAll();
  process.exit(1);
}
