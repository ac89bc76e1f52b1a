import fs from 'node:fs';
import path from 'node:path';
import { DIST, describeWeapp } from './support/weapp';

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

describeWeapp('weapp build output', () => {
  const appJson = () => JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8'));

  it('keeps the five tab pages in the main package and features in subpackages', () => {
    const app = appJson();
    expect(app.lazyCodeLoading).toBe('requiredComponents');
    const tabs = app.tabBar.list.map((t: { pagePath: string; text: string }) => [t.pagePath, t.text]);
    expect(tabs).toEqual([
      ['pages/index/index', '首页'],
      ['pages/services/index', '办事'],
      ['pages/deliberation/index', '议事'],
      ['pages/volunteer/index', '志愿'],
      ['pages/me/index', '我的'],
    ]);
    for (const [page] of tabs) expect(app.pages).toContain(page);
    expect(app.subPackages.map((s: { root: string }) => s.root).sort()).toEqual(['binding', 'booking', 'feedback', 'staff', 'volunteer', 'vote']);
    expect(app.pages).toContain('pages/inbox/index');
    for (const t of app.tabBar.list) {
      expect(fs.existsSync(path.join(DIST, t.iconPath))).toBe(true);
      expect(fs.existsSync(path.join(DIST, t.selectedIconPath))).toBe(true);
    }
  });

  it('stays within WeChat’s package limits (2 MB main, 2 MB per subpackage)', () => {
    const subRoots: string[] = appJson().subPackages.map((s: { root: string }) => s.root);
    const subSizes = subRoots.map((r) => dirBytes(path.join(DIST, r)));
    const main = dirBytes(DIST) - subSizes.reduce((a, b) => a + b, 0);
    expect(main).toBeLessThan(2 * 1024 * 1024);
    for (const s of subSizes) expect(s).toBeLessThan(2 * 1024 * 1024);
  });

  it('stays within our own budget: main package under 1 MB, each subpackage under 512 KB', () => {
    const subRoots: string[] = appJson().subPackages.map((s: { root: string }) => s.root);
    const sizes = Object.fromEntries(subRoots.map((r) => [r, dirBytes(path.join(DIST, r))]));
    const main = dirBytes(DIST) - Object.values(sizes).reduce((a, b) => a + b, 0);
    expect(main).toBeLessThan(1024 * 1024);
    for (const [root, size] of Object.entries(sizes)) expect({ root, small: size < 512 * 1024 }).toEqual({ root, small: true });
  });

  it('contains no dev-only persona picker', () => {
    const js = ['app.js', 'vendors.js', 'common.js', 'taro.js']
      .filter((f) => fs.existsSync(path.join(DIST, f)))
      .map((f) => fs.readFileSync(path.join(DIST, f), 'utf8'))
      .join('\n');
    expect(js).not.toContain('/api/v1/dev/personas');
  });
});
