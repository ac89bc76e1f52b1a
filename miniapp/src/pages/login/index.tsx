import { useState, type ComponentType } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { isStaff, staffLoginBody, type FieldErrors, type LoginResponse } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Notice, P } from '../../components/ui';
import { IS_WEAPP } from '../../env';
import { Api } from '../../services/endpoints';
import { relaunch, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { acceptLogin, loadMe, sessionStore, takeReturnTo, useSession, wechatSilentLogin } from '../../store/session';

type PickerProps = { onLogin: (code: string) => void; busy: boolean };

// Build-time constant: webpack drops the require (and the whole picker) unless
// TARO_APP_DEV_LOGIN=1 was set for this build.
const DevPersonaPicker: ComponentType<PickerProps> | null =
  process.env.TARO_APP_DEV_LOGIN === '1' ? require('./DevPersonaPicker').default : null;

function afterLogin(res: LoginResponse, sentHere: boolean): void {
  acceptLogin(res);
  void loadMe();
  relaunch(takeReturnTo(sentHere) ?? (isStaff(res.user.roles) && !IS_WEAPP ? Routes.staffHome : Routes.home));
}

export default function Login() {
  // Sent here by a page that needs a login (goToLogin): go back to it afterwards.
  const sentHere = useRouter().params.back === '1';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // In the mini-program, a failed silent login at launch lands here: say why.
  const session = useSession();
  const shownError = error ?? (IS_WEAPP ? session.error : null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submitStaff() {
    const parsed = staffLoginBody.safeParse({ username, password });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    void run(async () => afterLogin(await Api.staffLogin(parsed.data), sentHere));
  }

  return (
    <PageShell title='欢迎使用社区服务' subtitle='登录后就能办事、议事、参加志愿活动' className='page-login'>
      <Notice tone='bad' text={shownError} testId='login-error' />

      {IS_WEAPP ? (
        <Card title='居民登录'>
          <P muted>用您的微信登录，不需要另设密码。</P>
          <View className='actions'>
            <Btn
              testId='wechat-login'
              loading={busy}
              onClick={() =>
                void run(async () => {
                  if (await wechatSilentLogin()) {
                    void loadMe();
                    relaunch(takeReturnTo(sentHere) ?? Routes.home);
                  } else {
                    setError(sessionStore.get().error ?? '微信登录没有成功，请稍后再试');
                  }
                })
              }
            >
              微信一键登录
            </Btn>
          </View>
        </Card>
      ) : null}

      {DevPersonaPicker ? (
        <DevPersonaPicker busy={busy} onLogin={(code) => void run(async () => afterLogin(await Api.wechatLogin(code), sentHere))} />
      ) : null}

      <Card title='工作人员登录'>
        <Field label='用户名' error={fieldErrors.username} testId='username'>
          <Input
            className='input'
            value={username}
            placeholder='请输入用户名'
            onInput={(e) => setUsername(e.detail.value)}
            data-testid='username-input'
          />
        </Field>
        <Field label='密码' error={fieldErrors.password} testId='password'>
          <Input
            className='input'
            value={password}
            password
            placeholder='请输入密码'
            onInput={(e) => setPassword(e.detail.value)}
            onConfirm={submitStaff}
            data-testid='password-input'
          />
        </Field>
        <Btn testId='staff-login' loading={busy} onClick={submitStaff}>
          登录
        </Btn>
        {IS_WEAPP ? null : <Text className='p p--muted'>居民请在微信里打开“社区服务”小程序，无需密码。</Text>}
      </Card>
    </PageShell>
  );
}
