// @ts-check
/**
 * Writes the AppID from WX_APPID into project.config.json (touristappid when
 * unset), so WeChat DevTools opens the weapp with your own AppID. An AppID is
 * public; the AppSecret never goes in any file (it is the API's WX_APPSECRET).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib.mjs';

export function writeAppId(appid = process.env.WX_APPID || 'touristappid') {
  const file = path.join(repoRoot, 'project.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  if (config.appid === appid) return;
  config.appid = appid;
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) writeAppId();
