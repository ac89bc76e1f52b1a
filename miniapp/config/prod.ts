import type { UserConfigExport } from '@tarojs/cli';

/**
 * Production builds (the default for `taro build`): minified. Taro's `prebundle`
 * stays off here: it bloats the weapp main package (≈ 2.1 MB measured).
 */
export default {
  mini: {},
  h5: {},
} satisfies UserConfigExport<'webpack5'>;
