import { useEffect, useRef, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Btn, Card, Notice, P, Row, Tag } from '../../components/ui';
import { hoursText } from '../../components/volunteer';
import { IS_H5 } from '../../env';
import { formatDate } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { CertificateApi, type CertificateMine } from '../certificates';

/**
 * 申请志愿服务证明: a PDF with a serial number listing the confirmed services,
 * which anyone can check online by its number. Asking again with an unchanged
 * record gives back the same certificate.
 */
export function Certificates({ minutes }: { minutes: number }) {
  const [items, setItems] = useState<CertificateMine[] | null>(null);
  const [absent, setAbsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const key = useRef<string | null>(null);

  async function load() {
    try {
      setItems((await CertificateApi.mine()).items);
    } catch (e) {
      // An API without the certificate routes yet: the section stays away.
      if (isApiError(e) && e.status === 404) setAbsent(true);
      else setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function issue() {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const c = await CertificateApi.issue(key.current);
      key.current = null;
      setNotice(c.created ? `证明已开具，编号 ${c.serial}。` : `您的服务记录没有变化，还是这份证明：编号 ${c.serial}。`);
      await load();
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!(status === 0 || status >= 500)) key.current = null;
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function download(serial: string) {
    setDownloading(serial);
    setError(null);
    setNotice(null);
    try {
      const file = await CertificateApi.download(serial);
      setNotice(IS_H5 ? `已下载“${file.filename}”，在浏览器的下载文件夹里。` : `已打开“${file.filename}”，可以点右上角转发或打印。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDownloading(null);
    }
  }

  if (absent) return null;

  return (
    <Card title='志愿服务记录证明' testId='certificates'>
      <P muted>证明上有您的姓名、身份证号、每次服务的日期、活动和时长，带编号，别人可以凭编号在网上核验。</P>
      {minutes <= 0 ? <P>组织方确认过时长后，就可以申请证明了。</P> : null}
      <Notice tone='ok' text={notice} testId='certificate-notice' />
      <Notice tone='bad' text={error} testId='certificate-error' />
      <View className='actions'>
        <Btn testId='certificate-issue' loading={busy} onClick={() => void issue()}>
          申请志愿服务证明
        </Btn>
      </View>
      <Row label='身份证号在志愿者资料里填写' onClick={() => go(Routes.volunteerProfile)} />
      {items?.map((c) => (
        <View key={c.serial} className='certificate' data-testid='certificate'>
          <View className='certificate__head'>
            <Text className='certificate__serial'>{c.serial}</Text>
            <Tag tone={c.status === 'valid' ? 'ok' : 'bad'}>{c.status === 'valid' ? '有效' : '已撤销'}</Tag>
          </View>
          <Text className='certificate__meta'>{`${formatDate(c.issuedAt)}开具 · ${c.serviceCount}次服务 · ${hoursText(c.totalMinutes)}小时`}</Text>
          {c.revokedReason ? <Text className='certificate__meta'>{`撤销原因：${c.revokedReason}`}</Text> : null}
          <Row label='核验页（别人凭编号查看）' onClick={() => go(withQuery(Routes.volunteerVerify, { serial: c.serial }))} testId='certificate-verify' />
          {c.status === 'valid' ? (
            <Btn kind='secondary' testId='certificate-download' loading={downloading === c.serial} onClick={() => void download(c.serial)}>
              {IS_H5 ? '下载证明（PDF）' : '打开证明（PDF）'}
            </Btn>
          ) : null}
        </View>
      ))}
    </Card>
  );
}
