/**
 * Build-time settings. Webpack's DefinePlugin replaces each `process.env.X` below
 * with a literal (see config/index.ts), so nothing here reads a real environment
 * at run time; jest sets the same variables on process.env.
 */
export const IS_WEAPP = process.env.TARO_ENV === 'weapp';
export const IS_H5 = process.env.TARO_ENV === 'h5';

const LOCAL_API = 'http://127.0.0.1:3000';
const configured = process.env.TARO_APP_API_BASE;

/**
 * API origin. Empty means the page's own origin (H5 behind a server that forwards
 * /api); wx.request needs an absolute URL, so the mini-program falls back to the
 * local API then.
 */
export const API_BASE: string = (configured === undefined || (configured === '' && IS_WEAPP) ? LOCAL_API : configured).replace(
  /\/+$/,
  '',
);
