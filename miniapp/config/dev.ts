import type { UserConfigExport } from '@tarojs/cli';

/** `taro build --watch` (NODE_ENV=development): readable output, quick rebuilds. */
export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>;
