import { Text, View } from '@tarojs/components';
import type { ServiceView } from '@community/shared';
import { hoursText } from '../components/hours';
import { Card, P, Tag } from '../components/ui';
import { formatDay, shanghaiToday } from '../services/format';

/** Lines of the 办事指南, in plain words. */
export function Guide({ service }: { service: ServiceView }) {
  const g = service.guide;
  const today = shanghaiToday();
  const closed = service.closedDays.filter((d) => d.date >= today).slice(0, 5);
  const hours = hoursText(service.weeklyHours);
  return (
    <Card title='办事指南' testId='service-guide'>
      <Text className='guide__key'>要带的材料</Text>
      {g.materials.length ? (
        <View className='list' data-testid='materials'>
          {g.materials.map((m) => (
            <View key={m} className='list__item'>
              <Text className='list__mark'>☐</Text>
              <Text className='list__text'>{m}</Text>
            </View>
          ))}
        </View>
      ) : (
        <P>不需要带材料。</P>
      )}
      <Text className='guide__key'>在哪里办</Text>
      <P>{g.location}</P>
      {g.duration ? (
        <>
          <Text className='guide__key'>大约多久</Text>
          <P>{g.duration}</P>
        </>
      ) : null}
      {hours ? (
        <>
          <Text className='guide__key'>开放时间</Text>
          <P>{hours}</P>
        </>
      ) : null}
      {closed.length ? (
        <P muted>{`休息：${closed.map((d) => `${formatDay(d.date)}（${d.reason}）`).join('、')}`}</P>
      ) : null}
      {g.steps.length ? (
        <>
          <Text className='guide__key'>怎么办</Text>
          <View className='list'>
            {g.steps.map((s, i) => (
              <View key={s} className='list__item'>
                <Text className='list__mark'>{i + 1}.</Text>
                <Text className='list__text'>{s}</Text>
              </View>
            ))}
          </View>
        </>
      ) : null}
      {g.notes ? (
        <>
          <Text className='guide__key'>请注意</Text>
          <P>{g.notes}</P>
        </>
      ) : null}
    </Card>
  );
}

/** 一窗受理 / 全程代办, each said in words a resident understands. */
export function Flags({ service }: { service: ServiceView }) {
  if (!service.oneWindow && !service.fullAgency) return null;
  return (
    <View className='flags' data-testid='service-flags'>
      {service.oneWindow ? (
        <View className='flag'>
          <Tag tone='ok'>一窗受理</Tag>
          <Text className='flag__text'>一个窗口就能办完，不用来回跑</Text>
        </View>
      ) : null}
      {service.fullAgency ? (
        <View className='flag'>
          <Tag tone='info'>全程代办</Tag>
          <Text className='flag__text'>工作人员帮您跑完全程，进度在这里能看到</Text>
        </View>
      ) : null}
    </View>
  );
}

/** 120 → "2小时", 90 → "1小时30分钟". */
export function cutoffWords(minutes: number): string {
  if (minutes <= 0) return '';
  if (minutes % 60 === 0) return `${minutes / 60}小时`;
  if (minutes < 60) return `${minutes}分钟`;
  return `${Math.floor(minutes / 60)}小时${minutes % 60}分钟`;
}

export function Fact({ k, v }: { k: string; v: string }) {
  return (
    <View className='fact'>
      <Text className='fact__key'>{k}</Text>
      <Text className='fact__value'>{v}</Text>
    </View>
  );
}
