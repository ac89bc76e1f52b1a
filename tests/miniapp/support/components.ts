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

import { createElement } from 'react';

/**
 * Taro's H5 Textarea is a Stencil web component (not in components-react's
 * per-component files); here a plain <textarea> with Taro's onInput contract.
 */
export function Textarea(props: {
  value?: string;
  placeholder?: string;
  maxlength?: number;
  className?: string;
  onInput?: (e: { detail: { value: string } }) => void;
  'data-testid'?: string;
}) {
  return createElement('textarea', {
    className: props.className,
    value: props.value,
    placeholder: props.placeholder,
    maxLength: props.maxlength,
    'data-testid': props['data-testid'],
    onChange: (e: { target: { value: string } }) => props.onInput?.({ detail: { value: e.target.value } }),
  });
}
