import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { bindingRelationLabels, bindingStatusLabels, type BindingView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { statusTone } from '../../components/RoomStatus';
import { Btn, Card, Empty, Loading, Notice, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { go, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';

export default function BindingMine() {
  const [items, setItems] = useState<BindingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      try {
        setItems((await Api.myBindings()).items);
        setError(null);
      } catch (e) {
        setError(messageOf(e));
      }
    })();
  });

  return (
    <PageShell title='我的房屋' subtitle='您提交的绑定申请和审核结果' className='page-binding-mine'>
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty text='您还没有提交过绑定申请。' />
      ) : null}
      {items && items.length > 0 ? (
        <Card>
          {items.map((b) => (
            <View key={b.id} className='room' data-testid='binding-item'>
              <View className='room__main'>
                <Text className='room__label'>{b.roomLabel}</Text>
                <Text className='room__meta'>
                  {bindingRelationLabels[b.relation]} · {b.realName} · {formatDateTime(b.createdAt)}
                </Text>
                {b.status === 'rejected' && b.reason ? <Text className='room__reason'>原因：{b.reason}</Text> : null}
              </View>
              <Tag tone={statusTone(b.status)}>{bindingStatusLabels[b.status]}</Tag>
            </View>
          ))}
        </Card>
      ) : null}
      <View className='actions'>
        <Btn onClick={() => go(Routes.bindingApply)}>绑定一套房屋</Btn>
        <Btn kind='secondary' onClick={() => go(Routes.bindingRedeem)}>
          我有邀请码
        </Btn>
      </View>
    </PageShell>
  );
}
