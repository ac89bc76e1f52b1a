import { useEffect, useRef } from 'react';
import { useDidShow } from '@tarojs/taro';

/**
 * Runs `fn` when the component mounts and each time its page shows again.
 * useDidShow alone misses the first show of a component mounted later (one
 * behind <StaffOnly>, which waits for /me); a show right after mounting is the
 * same show, so it is not run twice.
 */
export function useMountAndShow(fn: () => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  const mountedAt = useRef(0);
  useEffect(() => {
    mountedAt.current = Date.now();
    ref.current();
  }, []);
  useDidShow(() => {
    if (mountedAt.current && Date.now() - mountedAt.current > 500) ref.current();
  });
}
