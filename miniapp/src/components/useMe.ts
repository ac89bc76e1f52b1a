import { useDidShow } from '@tarojs/taro';
import { loadMe, useSession } from '../store/session';

/** The signed-in person, refreshed each time the page shows. */
export function useMe() {
  const session = useSession();
  useDidShow(() => {
    void loadMe();
  });
  return session;
}
