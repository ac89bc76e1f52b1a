import { useState } from 'react';
import { Input, View } from '@tarojs/components';
import { bindingStatusLabels, invitationRedeemBody, type BindingView, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { go, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { loadMe } from '../../store/session';

export default function BindingRedeem() {
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<BindingView | null>(null);

  async function submit() {
    setError(null);
    const parsed = invitationRedeemBody.safeParse({ code });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setDone(await Api.redeemInvitation(parsed.data.code));
      void loadMe();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell title='使用邀请码' subtitle='社区工作人员发给您的8位邀请码' className='page-binding-redeem'>
      {done ? (
        <Card>
          <Notice tone='ok' text={`${done.roomLabel}：${bindingStatusLabels[done.status]}`} testId='redeem-done' />
          <View className='actions'>
            <Btn onClick={() => go(Routes.home)}>回到首页</Btn>
            <Btn kind='secondary' onClick={() => go(Routes.bindingMine)}>
              查看我的房屋
            </Btn>
          </View>
        </Card>
      ) : (
        <Card>
          <Field label='邀请码' hint='字母不分大小写' error={errors.code} testId='code'>
            <Input
              className='input'
              value={code}
              maxlength={8}
              placeholder='8位字母或数字'
              onInput={(e) => setCode(e.detail.value.toUpperCase())}
              data-testid='code-input'
            />
          </Field>
          <Notice tone='bad' text={error} testId='redeem-error' />
          <Btn testId='redeem-submit' loading={busy} onClick={() => void submit()}>
            确认绑定
          </Btn>
          <P muted>用邀请码绑定不需要再等审核。</P>
        </Card>
      )}
    </PageShell>
  );
}
