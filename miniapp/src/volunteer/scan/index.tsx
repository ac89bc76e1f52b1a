import { useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { Btn, Loading } from '../../components/ui';
import { go, Routes } from '../../services/navigate';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { checkInOrOut, posterIdOf, type ScanOutcome } from '../poster';
import '../volunteer.scss';

/**
 * The page a poster opens: WeChat's mini-program code carries the poster id as
 * `scene` (URL-encoded), the H5 link and the printed path as `p`. The poster
 * alone says which activity; the first scan checks in, the next checks out.
 */
export default function VolunteerScan() {
  const { params } = useRouter();
  const posterId = posterIdOf(params.scene ? `?scene=${params.scene}` : null) ?? posterIdOf(params.p ? `?p=${params.p}` : null) ?? posterIdOf(params.q ? `?q=${params.q}` : null);
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  // Once per opening: coming back to the page must not check out by itself.
  const sent = useRef(false);

  async function send() {
    if (!posterId) return;
    setBusy(true);
    try {
      setOutcome(await checkInOrOut(posterId));
    } finally {
      setBusy(false);
    }
  }

  useDidShow(() => {
    if (sent.current) return;
    sent.current = true;
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await send();
    })();
  });

  const title = !posterId ? '没有认出签到码' : outcome ? outcome.title : null;
  const ok = !!outcome?.ok;

  return (
    <PageShell className='page-volunteer-scan'>
      <View className={`scan-result ${posterId && !outcome ? '' : ok ? 'scan-result--ok' : 'scan-result--bad'}`} data-testid='scan-result' role={ok ? 'status' : 'alert'}>
        {title ? (
          <>
            <Text className='scan-result__mark'>{ok ? '✓' : '!'}</Text>
            <Text className='scan-result__title' data-testid='scan-title'>
              {title}
            </Text>
            {outcome?.hours ? (
              <Text className='scan-result__hours' data-testid='scan-hours'>
                {outcome.hours}
              </Text>
            ) : null}
            {outcome?.detail ? <Text className='scan-result__detail'>{outcome.detail}</Text> : null}
            {!posterId ? <Text className='scan-result__detail'>请用微信“扫一扫”扫活动现场张贴的签到码。</Text> : null}
          </>
        ) : (
          <Loading text='正在签到…' />
        )}
      </View>
      <View className='actions'>
        {outcome?.retry ? (
          <Btn testId='scan-retry' loading={busy} onClick={() => void send()}>
            再试一次
          </Btn>
        ) : null}
        <Btn kind={outcome?.retry ? 'secondary' : 'primary'} testId='scan-mine' onClick={() => go(Routes.volunteerMe)}>
          我的志愿
        </Btn>
        <Btn kind='plain' onClick={() => go(Routes.volunteer)}>
          回到志愿首页
        </Btn>
      </View>
    </PageShell>
  );
}
