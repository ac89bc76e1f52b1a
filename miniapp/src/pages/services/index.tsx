import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { serviceCategories, serviceCategoryLabels, type ServiceView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Empty, Loading, Notice, P, Row, Tag } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { Welcome } from '../../components/Welcome';
import { Api } from '../../services/endpoints';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { ensureLoggedIn } from '../../store/session';

/** The catalogue by category, in the order the shared list gives. */
function byCategory(items: ServiceView[]) {
  return serviceCategories
    .map((c) => ({ category: c, label: serviceCategoryLabels[c], items: items.filter((s) => s.category === c) }))
    .filter((g) => g.items.length > 0);
}

function ServiceRow({ s }: { s: ServiceView }) {
  return (
    <View
      className='tap row service-row'
      role='button'
      data-testid={`service-${s.id}`}
      onClick={() => go(withQuery(Routes.bookingService, { id: s.id }))}
    >
      <View className='service-row__main'>
        <Text className='service-row__name'>{s.name}</Text>
        {s.summary ? <Text className='service-row__summary'>{s.summary}</Text> : null}
        {s.oneWindow || s.fullAgency ? (
          <View className='tags service-row__tags'>
            {s.oneWindow ? <Tag tone='ok'>一窗受理</Tag> : null}
            {s.fullAgency ? <Tag tone='info'>全程代办</Tag> : null}
          </View>
        ) : null}
      </View>
      <Text className='row__chevron'>›</Text>
    </View>
  );
}

export default function Services() {
  const { me } = useMe();
  const [items, setItems] = useState<ServiceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    if (!(await ensureLoggedIn())) return;
    try {
      setItems((await Api.services()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useDidShow(() => {
    void load();
  });

  const groups = items ? byCategory(items) : [];

  return (
    <PageShell className='page-services'>
      <Welcome me={me} line='少跑腿，在手机上预约办事。' />
      <Card>
        <Row label='我的预约' value='核验码、取消、改约' onClick={() => go(Routes.bookingMine)} testId='services-mine' />
      </Card>

      <Notice tone='bad' text={error} testId='services-error' />
      {error ? (
        <Btn kind='secondary' onClick={() => void load()}>
          重新加载
        </Btn>
      ) : null}
      {items === null && !error ? <Loading text='正在加载办事项目…' /> : null}
      {items && items.length === 0 ? <Empty text='服务中心还没有发布可以预约的事项。' /> : null}
      {groups.map((g) => (
        <Card key={g.category} title={g.label} testId={`category-${g.category}`}>
          {g.items.map((s) => (
            <ServiceRow key={s.id} s={s} />
          ))}
        </Card>
      ))}

      <Card title='物业报修与意见'>
        <P muted>家里或楼里有问题，拍张照片告诉我们。</P>
        <Row label='反映问题' value='报修、投诉、建议' onClick={() => go(Routes.feedbackReport)} testId='services-feedback-report' />
        <Row label='我的反映' value='处理到哪一步' onClick={() => go(Routes.feedbackMine)} testId='services-feedback-mine' />
      </Card>
    </PageShell>
  );
}
