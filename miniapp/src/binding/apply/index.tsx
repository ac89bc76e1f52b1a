import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import {
  bindingRelationLabels,
  bindingRelations,
  bindingRequestBody,
  bindingStatusLabels,
  type BindingRelation,
  type BindingView,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { RoomPicker, type PickedRoom } from '../../components/RoomPicker';
import { Btn, Card, ChoiceGrid, Field, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { go, Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { loadMe } from '../../store/session';
import { IS_WEAPP } from '../../env';
import { outcomeOf } from '../outcome';

const ROOM_MISSING = '请按顺序选择楼栋、单元和房号';

export default function BindingApply() {
  const [room, setRoom] = useState<PickedRoom | null>(null);
  const [relation, setRelation] = useState<BindingRelation | null>(null);
  const [realName, setRealName] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<BindingView | null>(null);
  // WeChat's one-time code for the phone number; the API asks WeChat for the number itself.
  const [phoneCode, setPhoneCode] = useState<string | null>(null);
  const [phoneNote, setPhoneNote] = useState<string | null>(null);

  async function submit() {
    setError(null);
    // The API checks the same shared schema; checking here first lets every
    // problem show beside its field without a round trip.
    const parsed = bindingRequestBody.safeParse({
      roomId: room?.room.id ?? '',
      relation: relation ?? undefined,
      realName,
      note: note.trim() ? note : undefined,
      phoneCode: relation === 'owner' && phoneCode ? phoneCode : undefined,
    });
    if (!parsed.success) {
      const fe = fieldErrorsOf(parsed.error.issues);
      if (fe.roomId) fe.roomId = [ROOM_MISSING];
      setErrors(fe);
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const binding = await Api.requestBinding(parsed.data);
      setDone(binding);
      void loadMe();
    } catch (e) {
      // A phone code is good once: after a failed try the button has to be pressed again.
      setPhoneCode(null);
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <PageShell title='申请已提交' className='page-binding-apply'>
        <Card>
          <Notice tone='ok' text={`${done.roomLabel}：${bindingStatusLabels[done.status]}`} testId='binding-done' />
          <Notice tone={done.status === 'approved' ? 'ok' : 'wait'} text={outcomeOf(done)} testId='binding-outcome' />
          {done.status === 'pending' ? <P>社区工作人员核对后会为您通过，请留意“我的房屋”里的状态；还没审核前可以撤回。</P> : null}
          <View className='actions'>
            <Btn onClick={() => go(Routes.bindingMine)}>查看我的房屋</Btn>
            <Btn kind='secondary' onClick={() => go(Routes.home)}>
              回到首页
            </Btn>
          </View>
        </Card>
      </PageShell>
    );
  }

  return (
    <PageShell title='绑定房屋' subtitle='告诉我们您住在哪里，社区工作人员审核后就能使用各项服务' className='page-binding-apply'>
      <Card>
        <RoomPicker value={room} onChange={setRoom} error={errors.roomId} />
        {room ? <Notice tone='info' text={`已选：${room.label}`} /> : null}
      </Card>

      <Card>
        <Field label='您与这套房屋的关系' error={errors.relation} testId='relation'>
          <ChoiceGrid
            testId='pick-relation'
            columns={3}
            options={bindingRelations.map((r) => ({ value: r, label: bindingRelationLabels[r] }))}
            value={relation}
            onChange={setRelation}
          />
        </Field>
        <Field label='真实姓名' hint='与房产证或租房合同上的姓名一致' error={errors.realName} testId='realName'>
          <Input
            className='input'
            value={realName}
            maxlength={20}
            placeholder='例如：张秀英'
            onInput={(e) => setRealName(e.detail.value)}
            data-testid='realName-input'
          />
        </Field>
        <Field label='备注（可不填）' error={errors.note} testId='note'>
          <Input
            className='input'
            value={note}
            maxlength={200}
            placeholder='例如：和女儿一起住'
            onInput={(e) => setNote(e.detail.value)}
            data-testid='note-input'
          />
        </Field>
        {relation === 'owner' ? (
          <View className='field' data-testid='phone-check'>
            <Text className='field__label'>核对业主身份（可选）</Text>
            <P muted>
              {IS_WEAPP
                ? '用您的微信手机号核对：与物业登记的业主手机号一致，马上就能通过；不一致也没关系，会由社区工作人员核对。'
                : '在微信小程序里可以用微信手机号核对，一致就能马上通过。这里提交后由社区工作人员核对。'}
            </P>
            {IS_WEAPP && !phoneCode ? (
              <Button
                className='tap btn btn--secondary'
                openType='getPhoneNumber'
                data-testid='phone-button'
                onGetPhoneNumber={(e) => {
                  const code = (e.detail as { code?: string }).code;
                  if (code) {
                    setPhoneCode(code);
                    setPhoneNote(null);
                  } else setPhoneNote('没有取得手机号，也可以直接提交，由工作人员核对');
                }}
              >
                <Text className='btn__text'>用微信手机号核对</Text>
              </Button>
            ) : null}
            {phoneCode ? <Notice tone='ok' text='已取得微信手机号，提交时会与业主登记核对' testId='phone-ready' /> : null}
            <Notice tone='info' text={phoneNote} />
          </View>
        ) : null}
        <Notice tone='bad' text={error} testId='binding-error' />
        <Btn testId='binding-submit' loading={busy} onClick={() => void submit()}>
          提交申请
        </Btn>
      </Card>

      <Card>
        <Text className='p'>社区工作人员给了您邀请码？</Text>
        <View className='actions'>
          <Btn kind='secondary' testId='go-redeem' onClick={() => go(Routes.bindingRedeem)}>
            我有邀请码
          </Btn>
        </View>
      </Card>
    </PageShell>
  );
}
