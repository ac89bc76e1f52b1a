import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { bindingRelationLabels, bindingStatusLabels, roleLabels } from '@community/shared';
import { ElderlySwitch } from '../../components/ElderlySwitch';
import { PageShell } from '../../components/PageShell';
import { statusTone } from '../../components/RoomStatus';
import { Btn, Card, Loading, Notice, P, Row, Tag } from '../../components/ui';
import { useMe } from '../../components/useMe';
import { displayNameOf } from '../../components/Welcome';
import { go, Routes } from '../../services/navigate';
import { refreshUnread, useUnread } from '../../store/inbox';
import { isStaffUser, logout } from '../../store/session';

export default function Me() {
  const { me, status, error, roomsKnown } = useMe();
  const [leaving, setLeaving] = useState(false);
  const name = displayNameOf(me) || '社区居民';
  const rooms = me?.rooms ?? [];
  const unread = useUnread();
  useDidShow(() => {
    void refreshUnread();
  });

  return (
    <PageShell className='page-me'>
      {status === 'loading' && !me ? <Loading /> : null}
      <Notice tone='bad' text={error} />
      {me ? (
        <Card>
          <View className='profile' data-testid='profile'>
            <Text className='avatar'>{name.slice(0, 1)}</Text>
            <View className='profile__main'>
              <Text className='profile__name'>{name}</Text>
              {me.phoneMasked ? <Text className='profile__meta'>手机 {me.phoneMasked}</Text> : null}
            </View>
          </View>
          {me.roles.length ? (
            <View className='tags'>
              {me.roles.map((r) => (
                <Tag key={r} tone='info'>
                  {roleLabels[r]}
                </Tag>
              ))}
            </View>
          ) : null}
        </Card>
      ) : null}

      <Card title='我的房屋'>
        {me && !roomsKnown ? <Loading /> : null}
        {me && roomsKnown && rooms.length === 0 ? <P muted>还没有绑定房屋。</P> : null}
        {rooms.map((r) => (
          <View key={r.bindingId} className='room'>
            <View className='room__main'>
              <Text className='room__label'>{r.label}</Text>
              <Text className='room__rel'>{bindingRelationLabels[r.relation]}</Text>
            </View>
            <Tag tone={statusTone(r.status)}>{bindingStatusLabels[r.status]}</Tag>
          </View>
        ))}
        <View className='actions'>
          <Btn testId='me-bind' onClick={() => go(Routes.bindingApply)}>
            绑定房屋
          </Btn>
          <Btn kind='secondary' onClick={() => go(Routes.bindingRedeem)}>
            我有邀请码
          </Btn>
        </View>
        <Row label='查看我的申请' onClick={() => go(Routes.bindingMine)} testId='me-bindings' />
        <Row label='授权家人代办' value='让家人替您预约' onClick={() => go(Routes.bindingAuthority)} testId='me-authority' />
      </Card>

      {me ? (
        <Card title='我的办事'>
          <Row label='我的预约' value='核验码、取消、改约' onClick={() => go(Routes.bookingMine)} testId='me-bookings' />
          <Row label='消息' value={unread ? `${unread}条未读` : undefined} onClick={() => go(Routes.inbox)} testId='me-inbox' />
          <Row label='我的志愿' value='时长、积分、兑换码' onClick={() => go(Routes.volunteerMe)} testId='me-volunteer' />
          <Row label='志愿者资料' value='姓名、技能、空闲时间' onClick={() => go(Routes.volunteerProfile)} testId='me-volunteer-profile' />
        </Card>
      ) : null}

      <Card>
        <ElderlySwitch />
      </Card>

      {isStaffUser(me) ? (
        <Card title='工作人员'>
          <Row label='工作台' value='核验、审核、邀请码' onClick={() => go(Routes.staffHome)} testId='me-workbench' />
        </Card>
      ) : null}

      {me ? (
        <Btn
          kind='plain'
          testId='logout'
          loading={leaving}
          onClick={() => {
            setLeaving(true);
            void logout().finally(() => setLeaving(false));
          }}
        >
          退出登录
        </Btn>
      ) : null}
    </PageShell>
  );
}
