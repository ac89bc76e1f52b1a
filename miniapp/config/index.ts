import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';
import devConfig from './dev';
import prodConfig from './prod';

/**
 * One config for both targets. `taro build --type weapp` writes dist/weapp (what the
 * WeChat devtools and miniprogram-simulate load), `--type h5` writes dist/h5 (the
 * browser build staff use at a desk and the browser tests drive).
 */

// The shared workspace is consumed as TypeScript source: Taro does not transpile
// another package's TS, so the folder is added to `compile.include` below.
const sharedSrc = path.resolve(__dirname, '../../shared/src');

// Build-time switches. Taro only reads TARO_APP_* from .env files, so the
// process environment is passed in explicitly (a value from an .env file wins).
// An empty TARO_APP_API_BASE means "same origin" for H5 (a server in front of
// the H5 build forwards /api); unset means the local API.
const apiBase = process.env.TARO_APP_API_BASE ?? 'http://127.0.0.1:3000';
const devLogin = process.env.TARO_APP_DEV_LOGIN === '1' ? '1' : '0';

/** webpack-chain hook used by both targets. */
function chainShared(chain: any) {
  chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin, [
    { configFile: path.resolve(__dirname, '../tsconfig.json') },
  ]);
  // shared/ is written for TS `nodenext`, so it imports './errors.js' for errors.ts.
  chain.resolve.merge({ extensionAlias: { '.js': ['.ts', '.js'] } });
  // shared/ loads zod's Chinese locale as .cjs for the CommonJS API; the bundle takes
  // the ESM file instead, so it shares the one ESM zod core and tree-shakes.
  chain.resolve.alias.set(
    'zod/v4/locales/zh-CN.cjs$',
    path.resolve(path.dirname(require.resolve('zod/package.json')), 'v4/locales/zh-CN.js'),
  );
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'community-services',
    date: '2026-11-26',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    env: {
      TARO_APP_API_BASE: JSON.stringify(apiBase),
      TARO_APP_DEV_LOGIN: JSON.stringify(devLogin),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chainShared(chain);
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedSrc] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // Root font size follows the phone's width (20px at 375); capped at 24px so
        // a desk screen shows the same layout a little larger, not doubled.
        pxtransform: { enable: true, config: { minRootSize: 20, maxRootSize: 24 } },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chainShared(chain);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
