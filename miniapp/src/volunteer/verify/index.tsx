import { useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { certificateParams, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Loading, Notice, P, Row } from '../../components/ui';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CertificateApi, type CertificateVerification } from '../certificates';
import '../volunteer.scss';

/** '2026-11-27' → '2026年11月27日'. */
const chineseDate = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
/** Minutes as the certificate prints them: hours exact to the hundredth, no trailing zeros (165 → 2.75). */
const hours = (minutes: number) => String(Math.round((minutes * 100) / 60) / 100);

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'found'; c: CertificateVerification } | { kind: 'failed'; message: string; retry: boolean };

/**
 * 志愿服务记录证明核验: the link printed on a certificate opens this page with
 * its serial number. Anyone may read it, signed in or not (an employer, a
 * school): whether the certificate is valid or was revoked (when and why), the
 * holder's name with its middle hidden, and the services it lists, to compare
 * with the paper. No ID number and no phone ever reach this page.
 */
export default function CertificateVerify() {
  const { params } = useRouter();
  const initial = (params.serial ?? '').trim().toUpperCase();
  const [serial, setSerial] = useState(initial);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const asked = useRef(0);

  async function check(raw: string) {
    const parsed = certificateParams.safeParse({ serial: raw.trim().toUpperCase() });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      setState({ kind: 'idle' });
      return;
    }
    setErrors({});
    // Only the latest question's answer is shown.
    const mine = ++asked.current;
    setState({ kind: 'loading' });
    try {
      const c = await CertificateApi.verify(parsed.data.serial);
      if (mine === asked.current) setState({ kind: 'found', c });
    } catch (e) {
      if (mine !== asked.current) return;
      const status = isApiError(e) ? e.status : 0;
      setState({
        kind: 'failed',
        message: status === 404 ? `没有找到编号为 ${parsed.data.serial} 的志愿服务记录证明。请核对证明右上角的编号；这份证明可能不是本社区出具的。` : messageOf(e),
        retry: status === 0 || status >= 500,
      });
    }
  }

  useEffect(() => {
    if (initial) void check(initial);
    // Once, for the serial the link carried.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const found = state.kind === 'found' ? state.c : null;
  const revoked = found?.status === 'revoked';

  return (
    <PageShell title='志愿服务记录证明核验' subtitle='凭证明上的编号，查看这份证明是否有效' className='page-volunteer-verify'>
      {state.kind === 'loading' ? <Loading text='正在核验…' /> : null}

      {found ? (
        <>
          <View className={`verify-status ${revoked ? 'verify-status--revoked' : 'verify-status--valid'}`} data-testid='verify-status' role='status'>
            <Text className='verify-status__mark'>{revoked ? '!' : '✓'}</Text>
            <Text className='verify-status__title' data-testid='verify-status-title'>
              {revoked ? '已撤销' : '有效'}
            </Text>
            <Text className='verify-status__detail' data-testid='verify-status-detail'>
              {revoked
                ? `这份证明已于${found.revokedOn ? chineseDate(found.revokedOn) : ''}撤销，不再有效。${found.revokedReason ? `撤销原因：${found.revokedReason}` : ''}`
                : `这份证明由${found.issuer}出具，真实有效。`}
            </Text>
          </View>

          <Card title='证明信息' testId='verify-facts'>
            <Row label='证明编号' value={found.serial} />
            <Row label='志愿者' value={found.name} testId='verify-name' />
            <Row label='出具单位' value={found.issuer} />
            <Row label='出具日期' value={chineseDate(found.issuedOn)} />
            <Row label='服务次数' value={`${found.serviceCount}次`} />
            <Row label='累计时长' value={`${hours(found.totalMinutes)}小时`} testId='verify-hours' />
          </Card>

          {found.services.length ? (
            <Card title='志愿服务记录' testId='verify-services'>
              {found.services.map((s, i) => (
                <View key={`${s.date}-${i}`} className='verify-service' data-testid='verify-service'>
                  <Text className='verify-service__title'>{`${i + 1}. ${s.activityTitle}`}</Text>
                  <Text className='verify-service__meta'>{`${chineseDate(s.date)} · ${s.organiser} · ${hours(s.minutes)}小时`}</Text>
                </View>
              ))}
            </Card>
          ) : null}
          <P muted>为保护个人信息，姓名只显示首尾，身份证号不在网上显示。请与纸质证明上的编号、姓名和服务记录对照。</P>
        </>
      ) : null}

      {state.kind === 'failed' ? (
        <>
          <Notice tone='bad' text={state.message} testId='verify-error' />
          {state.retry ? (
            <Btn testId='verify-retry' onClick={() => void check(serial)}>
              再试一次
            </Btn>
          ) : null}
        </>
      ) : null}

      <Card title={found ? '核验另一份证明' : '输入证明编号'} testId='verify-form'>
        <Field label='证明编号' hint='在证明右上角，例如 ZYFW-2026-000123' error={errors.serial} testId='verify-serial'>
          <Input
            className='input'
            value={serial}
            maxlength={20}
            placeholder='ZYFW-2026-000123'
            onInput={(e) => setSerial(e.detail.value.toUpperCase())}
            onConfirm={() => void check(serial)}
            data-testid='verify-serial-input'
          />
        </Field>
        <Btn kind={found ? 'secondary' : 'primary'} testId='verify-submit' loading={state.kind === 'loading'} onClick={() => void check(serial)}>
          核验
        </Btn>
      </Card>
    </PageShell>
  );
}
