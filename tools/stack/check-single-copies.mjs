// @ts-check
/**
 * Fails when a package that must exist once is installed twice: two Reacts put
 * two renderers in the weapp bundle, two zods make `instanceof` lie, two Taros
 * break both builds (architecture.md, "Workspace facts"). `npm ls` is no gate
 * here: it exits 1 on miniprogram-simulate's loose specs anyway.
 */
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib.mjs';

const mustBeSingle = ['react', 'react-dom', 'react-reconciler', 'zod', '@tarojs/taro', '@tarojs/runtime', '@tarojs/shared', '@tarojs/components', '@tarojs/react'];
/** @type {Map<string, string[]>} */
const found = new Map();

/** @param {string} dir @param {number} depth */
function walk(dir, depth) {
  if (depth > 6 || !existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const scoped = entry.name.startsWith('@');
    const names = scoped ? readdirSync(path.join(dir, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name];
    for (const name of names) {
      const pkgDir = path.join(dir, name);
      if (mustBeSingle.includes(name) && existsSync(path.join(pkgDir, 'package.json'))) {
        const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
        found.set(name, [...(found.get(name) ?? []), `${path.relative(repoRoot, pkgDir)}@${version}`]);
      }
      walk(path.join(pkgDir, 'node_modules'), depth + 1);
    }
  }
}

walk(path.join(repoRoot, 'node_modules'), 0);
for (const ws of ['shared', 'api', 'miniapp']) walk(path.join(repoRoot, ws, 'node_modules'), 0);
const doubles = [...found].filter(([, copies]) => copies.length > 1);
if (doubles.length) {
  for (const [name, copies] of doubles) process.stderr.write(`${name} is installed more than once:\n  ${copies.join('\n  ')}\n`);
  process.stderr.write('Pin the single copy in the root package.json, then delete package-lock.json and node_modules and install again.\n');
  process.exit(1);
}
process.stdout.write(`single copies: ${mustBeSingle.filter((n) => found.has(n)).length} packages checked, no duplicates\n`);
