/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.scss';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn';
    /** API origin, e.g. http://127.0.0.1:3000 (set at build time). */
    TARO_APP_API_BASE: string;
    /** '1' only in development/test builds: the H5 persona picker. */
    TARO_APP_DEV_LOGIN: string;
  }
}
