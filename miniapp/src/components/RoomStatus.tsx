import { Text, View } from '@tarojs/components';
import { bindingRelationLabels, bindingStatusLabels, type MeView } from '@community/shared';
import { go, Routes } from '../services/navigate';
import { Btn, Card, P, Tag, type Tone } from './ui';

export function statusTone(status: string): Tone {
  if (status === 'approved') return 'ok';
  if (status === 'pending') return 'wait';
  if (status === 'rejected' || status === 'revoked') return 'bad';
  return 'info';
}

/** The resident's rooms, or a friendly prompt to bind one. */
export function RoomStatus({ me, compact, known = true }: { me: MeView | null; compact?: boolean; known?: boolean }) {
  const rooms = (me?.rooms ?? []).filter((r) => r.status === 'approved' || r.status === 'pending');
  if (!me || !known) return null;
  if (rooms.length === 0) {
    return (
      <Card title='绑定您的房屋' className='card--accent'>
        <P>绑定房屋后，就能预约办事、参加议事投票、报名志愿活动。</P>
        <View className='actions'>
          <Btn testId='go-bind' onClick={() => go(Routes.bindingApply)}>
            去绑定房屋
          </Btn>
          {compact ? null : (
            <Btn kind='secondary' onClick={() => go(Routes.bindingRedeem)}>
              我有邀请码
            </Btn>
          )}
        </View>
      </Card>
    );
  }
  return (
    <Card title='我的房屋'>
      {rooms.map((r) => (
        <View key={r.bindingId} className='room'>
          <View className='room__main'>
            <Text className='room__label'>{r.label}</Text>
            <Text className='room__rel'>{bindingRelationLabels[r.relation]}</Text>
          </View>
          <Tag tone={statusTone(r.status)}>{bindingStatusLabels[r.status]}</Tag>
        </View>
      ))}
      {rooms.every((r) => r.status === 'pending') ? (
        <P muted>社区工作人员审核通过后，就可以使用各项服务了。</P>
      ) : null}
    </Card>
  );
}
