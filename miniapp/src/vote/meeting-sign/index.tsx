import { useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { meetingSignInBody, type MeetingView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Loading } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { AttendanceBlock, meetingCodeOf } from '../meetingParts';

type Outcome =
  | { kind: 'ok'; m: MeetingView; again: boolean }
  | { kind: 'refused'; tone: 'bad' | 'calm'; title: string; detail: string | null; retry: boolean };

/** What to do next, after the API's own words, for each refusal. */
const nextStep: Record<string, { tone: 'bad' | 'calm'; detail: string }> = {
  NOT_COUNCIL_MEMBER: { tone: 'calm', detail: '签到只是给议事会成员记到会人数的。您可以在“议事会”里看会议的议题、纪要和决议。' },
  MEETING_SIGN_IN_CLOSED: { tone: 'calm', detail: '到了签到时间，请再扫一次会场的签到码。着急的话，可以请会场工作人员代签到。' },
  MEETING_CODE_INVALID: { tone: 'bad', detail: '签到码换过了的话，旧的就不能用了。还是不行，请找会场工作人员代签到。' },
  MEETING_CANCELLED: { tone: 'calm', detail: '取消的原因和新的安排，请看“议事会”里的通知。' },
  VALIDATION_FAILED: { tone: 'bad', detail: '请用微信“扫一扫”扫会场贴着的签到码。' },
};

async function signIn(code: string): Promise<Outcome> {
  const sentAt = Date.now();
  try {
    const m = await Api.meetingSignIn(code);
    // Repeating a scan answers with the first sign-in: say so instead of 签到成功 again.
    const again = !!m.me.signedInAt && Date.parse(m.me.signedInAt) < sentAt - 60_000;
    return { kind: 'ok', m, again };
  } catch (e) {
    const code = isApiError(e) ? e.code : '';
    const status = isApiError(e) ? e.status : 0;
    const step = nextStep[code];
    return {
      kind: 'refused',
      tone: step?.tone ?? 'bad',
      title: messageOf(e),
      detail: step?.detail ?? null,
      retry: status === 0 || status >= 500 || code === 'IDEMPOTENCY_IN_PROGRESS',
    };
  }
}

/**
 * What the poster's QR code opens (V10): a council member is signed in to the
 * meeting after logging in, and sees 签到成功 with the meeting's name and how
 * many are here; a refusal says why in the API's words and what to do.
 */
export default function MeetingSign() {
  const { params } = useRouter();
  const code = meetingCodeOf(params);
  const valid = code !== null && meetingSignInBody.safeParse({ code }).success;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [busy, setBusy] = useState(false);
  // Once per opening: coming back to the page does not send it again.
  const sent = useRef(false);

  async function send() {
    if (!code || !valid) return;
    setBusy(true);
    try {
      setOutcome(await signIn(code));
    } finally {
      setBusy(false);
    }
  }

  useDidShow(() => {
    if (sent.current || !valid) return;
    sent.current = true;
    void (async () => {
      // In WeChat this logs in silently; in the browser, one without a session is asked to log in.
      if (!(await ensureLoggedIn())) {
        setSignedOut(true);
        return;
      }
      await send();
    })();
  });

  if (!valid) {
    return (
      <PageShell className='page-meeting-sign'>
        <View className='mtg-sign mtg-sign--bad' role='alert' data-testid='sign-result'>
          <Text className='mtg-sign__mark'>!</Text>
          <Text className='mtg-sign__title' data-testid='sign-title'>
            没有认出签到码
          </Text>
          <Text className='mtg-sign__detail'>请用微信“扫一扫”扫议事会会场贴着的签到码。</Text>
        </View>
        <View className='actions'>
          <Btn testId='sign-meetings' onClick={() => go(Routes.voteMeetings)}>
            看议事会
          </Btn>
        </View>
      </PageShell>
    );
  }

  if (signedOut) {
    return (
      <PageShell className='page-meeting-sign'>
        <View className='mtg-sign mtg-sign--calm' role='status' data-testid='sign-result'>
          <Text className='mtg-sign__mark'>!</Text>
          <Text className='mtg-sign__title' data-testid='sign-title'>
            请先登录
          </Text>
          <Text className='mtg-sign__detail'>登录以后会回到这里，自动为您签到。</Text>
        </View>
        <View className='actions'>
          <Btn testId='sign-login' onClick={goToLogin}>
            去登录
          </Btn>
        </View>
      </PageShell>
    );
  }

  if (!outcome) {
    return (
      <PageShell className='page-meeting-sign'>
        <View className='mtg-sign' data-testid='sign-result'>
          <Loading text='正在签到…' />
        </View>
      </PageShell>
    );
  }

  if (outcome.kind === 'refused') {
    return (
      <PageShell className='page-meeting-sign'>
        <View className={`mtg-sign mtg-sign--${outcome.tone}`} role={outcome.tone === 'bad' ? 'alert' : 'status'} data-testid='sign-result'>
          <Text className='mtg-sign__mark'>!</Text>
          <Text className='mtg-sign__title' data-testid='sign-title'>
            {outcome.title}
          </Text>
          {outcome.detail ? (
            <Text className='mtg-sign__detail' data-testid='sign-detail'>
              {outcome.detail}
            </Text>
          ) : null}
        </View>
        <View className='actions'>
          {outcome.retry ? (
            <Btn testId='sign-retry' loading={busy} onClick={() => void send()}>
              再试一次
            </Btn>
          ) : null}
          <Btn kind={outcome.retry ? 'secondary' : 'primary'} testId='sign-meetings' onClick={() => go(Routes.voteMeetings)}>
            看议事会
          </Btn>
        </View>
      </PageShell>
    );
  }

  const { m, again } = outcome;
  return (
    <PageShell className='page-meeting-sign'>
      <View className='mtg-sign mtg-sign--ok' role='status' data-testid='sign-result'>
        <Text className='mtg-sign__mark'>✓</Text>
        <Text className='mtg-sign__title' data-testid='sign-title'>
          {again ? '您已经签到了' : '签到成功'}
        </Text>
        <Text className='mtg-sign__meeting' data-testid='sign-meeting'>
          {m.title}
        </Text>
        <Text className='mtg-sign__detail'>
          {m.me.signedInAt ? `签到时间 ${formatTime(m.me.signedInAt)}。` : ''}
          {again ? '不用再扫了。' : '谢谢您来参会！'}
        </Text>
        <AttendanceBlock m={m} testId='sign-attendance' />
      </View>
      <View className='actions'>
        <Btn testId='sign-open-meeting' onClick={() => go(withQuery(Routes.voteMeeting, { id: m.id }))}>
          看这次会议的议题
        </Btn>
      </View>
    </PageShell>
  );
}
