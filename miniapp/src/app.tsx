import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { IS_WEAPP } from './env';
import { initElderly } from './store/elderly';
import { refreshUnread } from './store/inbox';
import { ensureLoggedIn, loadMe } from './store/session';
import './app.scss';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    initElderly();
    // In the mini-program, log in silently at launch (wx.login → our API); the
    // pages wait for the same single-flight login. H5 pages send a visitor
    // without a session to the login page themselves.
    if (IS_WEAPP) {
      void ensureLoggedIn().then((ok) => (ok ? Promise.all([loadMe(), refreshUnread()]) : null));
    }
  });
  // Each time the app comes to the front: the unread count on the 我的 tab.
  useDidShow(() => {
    void refreshUnread();
  });
  return children;
}

export default App;
