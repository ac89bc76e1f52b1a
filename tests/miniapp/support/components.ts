/**
 * `@tarojs/components` for jest: Taro's own H5 React components, taken one by
 * one (View first: the package's index has an import cycle through
 * '@tarojs/components' that jest's CommonJS cannot resolve in its order).
 */
export { default as View } from '@tarojs/components-react/dist/components/view/index.js';
export { default as Text } from '@tarojs/components-react/dist/components/text/index.js';
export { default as Button } from '@tarojs/components-react/dist/components/button/index.js';
export { default as Input } from '@tarojs/components-react/dist/components/input/index.js';
export { default as Image } from '@tarojs/components-react/dist/components/image/index.js';
export { default as ScrollView } from '@tarojs/components-react/dist/components/scroll-view/index.js';
