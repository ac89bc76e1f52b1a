import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { InboxMessageView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { go } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { refreshUnread, setUnread, unreadStore } from '../../store/inbox';
import { ensureLoggedIn, goToLogin } from '../../store/session';

function Message({ m, onOpen }: { m: InboxMessageView; onOpen: (m: InboxMessageView) => void }) {
  return (
    <View
      className={`tap row message ${m.read ? 'message--read' : ''}`}
      role='button'
      data-testid='message'
      onClick={() => onOpen(m)}
    >
      <View className='message__main'>
        <Text className='message__title'>{m.title}</Text>
        <Text className='message__body'>{m.body}</Text>
        <Text className='message__when'>{formatDateTime(m.createdAt)}</Text>
      </View>
      {m.read ? (m.link ? <Text className='row__chevron'>›</Text> : null) : <Tag tone='bad'>未读</Tag>}
    </View>
  );
}

export default function Inbox() {
  const [items, setItems] = useState<InboxMessageView[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [busy, setBusy] = useState(false);

  async function load(after: string | null) {
    try {
      const page = await Api.inbox(after);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor ?? null);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await Promise.all([load(null), refreshUnread()]);
    })();
  });

  function open(m: InboxMessageView) {
    if (!m.read) {
      setItems((list) => list?.map((x) => (x.id === m.id ? { ...x, read: true } : x)) ?? null);
      setUnread(Math.max(0, (unreadStore.get() ?? 1) - 1));
      // Marked in the background: opening the link does not wait for it.
      void Api.markRead(m.id)
        .then(() => refreshUnread())
        .catch(() => undefined);
    }
    if (m.link) go(m.link);
  }

  async function readAll() {
    setBusy(true);
    try {
      await Api.markAllRead();
      setItems((list) => list?.map((x) => ({ ...x, read: true })) ?? null);
      setUnread(0);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const unread = items?.filter((m) => !m.read).length ?? 0;

  return (
    <PageShell title='消息' subtitle='预约结果、办事提醒和社区的通知' className='page-inbox'>
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='还没有消息。' /> : null}
      {items && items.length > 0 ? (
        <Card>
          <View data-testid='messages'>
            {items.map((m) => (
              <Message key={m.id} m={m} onOpen={open} />
            ))}
          </View>
        </Card>
      ) : null}
      <View className='actions'>
        {cursor ? (
          <Btn
            kind='secondary'
            loading={loadingMore}
            onClick={() => {
              setLoadingMore(true);
              void load(cursor).finally(() => setLoadingMore(false));
            }}
          >
            加载更多
          </Btn>
        ) : null}
        {unread > 0 ? (
          <Btn kind='plain' testId='read-all' loading={busy} onClick={() => void readAll()}>
            全部标为已读
          </Btn>
        ) : null}
      </View>
    </PageShell>
  );
}
