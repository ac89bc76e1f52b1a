/**
 * `@tarojs/taro` for jest: Taro's real H5 API (storage, request via fetch,
 * system info) plus what the build's framework plugin normally adds — the page
 * lifecycle hooks — and navigation stubs that record where a page wanted to go.
 */
import { useEffect, useRef } from 'react';
import * as TaroH5 from '@tarojs/taro-h5';

type Cb = (...args: any[]) => unknown;

export const routerParams: { current: Record<string, string> } = { current: {} };

function useOnMount(cb: Cb, ...args: unknown[]) {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => {
    ref.current(...args);
  }, []);
}

export const useLoad = (cb: Cb) => useOnMount(cb, routerParams.current);
export const useLaunch = (cb: Cb) => useOnMount(cb, { path: '', query: {} });
export const useDidShow = (cb: Cb) => useOnMount(cb);
export const useReady = (cb: Cb) => useOnMount(cb);
export const useDidHide = (_cb: Cb) => undefined;
export const useUnload = (cb: Cb) => {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => () => void ref.current(), []);
};
export const usePullDownRefresh = (_cb: Cb) => undefined;
export const useReachBottom = (_cb: Cb) => undefined;
export const useShareAppMessage = (_cb: Cb) => undefined;
export const useRouter = () => ({ params: routerParams.current, path: '' });

const navigation = {
  navigateTo: jest.fn((_o: { url: string }) => Promise.resolve({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn((_o: { url: string }) => Promise.resolve({ errMsg: 'redirectTo:ok' })),
  switchTab: jest.fn((_o: { url: string }) => Promise.resolve({ errMsg: 'switchTab:ok' })),
  reLaunch: jest.fn((_o: { url: string }) => Promise.resolve({ errMsg: 'reLaunch:ok' })),
  navigateBack: jest.fn(() => Promise.resolve({ errMsg: 'navigateBack:ok' })),
  getCurrentPages: jest.fn(() => [] as Array<{ route?: string }>),
  showToast: jest.fn((_o: { title: string }) => Promise.resolve({ errMsg: 'showToast:ok' })),
  setClipboardData: jest.fn(() => Promise.resolve({ errMsg: 'setClipboardData:ok' })),
  makePhoneCall: jest.fn((_o: { phoneNumber: string }) => Promise.resolve({ errMsg: 'makePhoneCall:ok' })),
  scanCode: jest.fn((_o?: Record<string, unknown>) => Promise.reject({ errMsg: 'scanCode:fail cancel' })),
  setTabBarBadge: jest.fn((_o: { index: number; text: string }) => Promise.resolve({ errMsg: 'setTabBarBadge:ok' })),
  removeTabBarBadge: jest.fn((_o: { index: number }) => Promise.resolve({ errMsg: 'removeTabBarBadge:ok' })),
  pageScrollTo: jest.fn((_o: Record<string, unknown>) => Promise.resolve({ errMsg: 'pageScrollTo:ok' })),
};

// The H5 build rewrites `Taro.request` into named imports (babel-plugin-transform-taroapi);
// here the default object and the named APIs are merged into one.
const { default: taroDefault, ...taroNamed } = TaroH5 as unknown as { default: object } & Record<string, unknown>;
const Taro = Object.assign(taroDefault as any, taroNamed, navigation, {
  useLoad,
  useLaunch,
  useDidShow,
  useReady,
  useDidHide,
  useUnload,
  usePullDownRefresh,
  useReachBottom,
  useShareAppMessage,
  useRouter,
});

export default Taro;
