import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  bindingRelationLabels,
  bindingRelations,
  invitationCreateBody,
  type BindingRelation,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { RoomPicker, type PickedRoom } from '../../components/RoomPicker';
import { Btn, Card, ChoiceGrid, Field, Notice, P } from '../../components/ui';
import { Api, type InvitationIssued } from '../../services/endpoints';
import { formatDateTime } from '../../services/format';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { StaffOnly } from '../StaffOnly';

const dayOptions = [3, 7, 15, 30].map((d) => ({ value: String(d), label: `${d}天` }));

export default function StaffInvitations() {
  const [room, setRoom] = useState<PickedRoom | null>(null);
  const [relation, setRelation] = useState<BindingRelation | null>(null);
  const [realName, setRealName] = useState('');
  const [days, setDays] = useState('7');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<InvitationIssued | null>(null);
  const [pickerKey, setPickerKey] = useState(0);

  async function submit() {
    setError(null);
    const parsed = invitationCreateBody.safeParse({
      roomId: room?.room.id ?? '',
      relation: relation ?? undefined,
      realName,
      validDays: Number(days),
    });
    if (!parsed.success) {
      const fe = fieldErrorsOf(parsed.error.issues);
      if (fe.roomId) fe.roomId = ['请按顺序选择楼栋、单元和房号'];
      setErrors(fe);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setIssued(await Api.issueInvitation(parsed.data));
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function again() {
    setIssued(null);
    setRoom(null);
    setRelation(null);
    setRealName('');
    setPickerKey((k) => k + 1);
  }

  return (
    <PageShell title='发放邀请码' subtitle='居民输入邀请码即可绑定房屋，不必再审核' className='page-staff-invitations'>
      <StaffOnly>
        {issued ? (
          <Card title='邀请码已生成'>
            <Text className='code' data-testid='invitation-code' userSelect>
              {issued.code}
            </Text>
            <P>房屋：{issued.roomLabel}</P>
            <P muted>有效期至 {formatDateTime(issued.expiresAt)}，只能使用一次。</P>
            <View className='actions'>
              <Btn
                onClick={() =>
                  void Taro.setClipboardData({ data: issued.code }).catch(() => undefined)
                }
              >
                复制邀请码
              </Btn>
              <Btn kind='secondary' onClick={again}>
                再发一个
              </Btn>
            </View>
          </Card>
        ) : (
          <>
            <Card>
              <RoomPicker key={pickerKey} value={room} onChange={setRoom} error={errors.roomId} />
              {room ? <Notice tone='info' text={`已选：${room.label}`} /> : null}
            </Card>
            <Card>
              <Field label='关系' error={errors.relation}>
                <ChoiceGrid
                  columns={3}
                  options={bindingRelations.map((r) => ({ value: r, label: bindingRelationLabels[r] }))}
                  value={relation}
                  onChange={setRelation}
                />
              </Field>
              <Field label='居民姓名' error={errors.realName}>
                <Input
                  className='input'
                  value={realName}
                  maxlength={20}
                  placeholder='与登记信息一致'
                  onInput={(e) => setRealName(e.detail.value)}
                />
              </Field>
              <Field label='有效天数' error={errors.validDays}>
                <ChoiceGrid columns={2} options={dayOptions} value={days} onChange={setDays} />
              </Field>
              <Notice tone='bad' text={error} />
              <Btn loading={busy} onClick={() => void submit()}>
                生成邀请码
              </Btn>
            </Card>
          </>
        )}
      </StaffOnly>
    </PageShell>
  );
}
