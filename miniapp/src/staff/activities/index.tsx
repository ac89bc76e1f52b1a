import { useCallback, useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { activityTypeLabels, reason, type ActivityView } from '@community/shared';
import { AuthImage } from '../../components/AuthImage';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { IS_H5, IS_WEAPP } from '../../env';
import { Api, type Poster } from '../../services/endpoints';
import { formatMonthDayTime, formatSpan } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { QrCode } from '../../booking/QrCode';
import { CentreOnly } from '../CentreOnly';
import '../../booking/booking.scss';
import '../admin.scss';
import '../volunteer.scss';

type Scope = 'upcoming' | 'past' | 'cancelled';
const scopes: { value: Scope; label: string }[] = [
  { value: 'upcoming', label: '即将开始' },
  { value: 'past', label: '已结束' },
  { value: 'cancelled', label: '已取消' },
];

const cancelReason = reason('取消原因');

/**
 * What the QR code holds: the scan page with the poster id. In the browser a
 * full link, so a phone's camera opens the H5 page; in WeChat the page path
 * (the app's 扫码签到 reads either, and the printed WeChat code carries the id
 * as its scene).
 */
function posterLink(page: string): string {
  if (IS_H5 && typeof window !== 'undefined') return `${window.location.origin}${window.location.pathname}#/${page.replace(/^\//, '')}`;
  return page;
}

type Panel = 'none' | 'poster' | 'cancel';

function PosterPanel({ a, onClose }: { a: ActivityView; onClose: () => void }) {
  // undefined: still asking the API for the poster in force; null: there is none (or it has expired).
  const [poster, setPoster] = useState<Poster | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState(false);

  // Opening the panel shows the poster already in force: looking at it again never retires it.
  useEffect(() => {
    let live = true;
    Api.currentPoster(a.id)
      .then((r) => live && setPoster(r.poster))
      .catch((e: unknown) => {
        if (!live) return;
        setPoster(null);
        setError(messageOf(e));
      });
    return () => {
      live = false;
    };
  }, [a.id]);

  async function make() {
    setBusy(true);
    setError(null);
    try {
      setPoster(await Api.newPoster(a.id));
      setMade(true);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item__panel' data-testid='poster-panel'>
      <P>签到码贴在活动现场，志愿者到了扫一次签到，离开时再扫一次签退。</P>
      {poster === undefined ? <Loading text='正在取现在的签到码…' /> : null}
      {poster === null && !error ? <P muted>这个活动还没有有效的签到码，请生成一张。</P> : null}
      {poster ? (
        <View className='poster-box' data-testid='poster'>
          <Text className='poster-state' data-testid='poster-state'>
            {made ? '新的签到码' : '现在有效的签到码'}
          </Text>
          <QrCode text={posterLink(poster.page)} testId='poster-qr' />
          {IS_WEAPP ? (
            <>
              <P muted>微信小程序码（用微信扫一扫直接打开签到页）：</P>
              <AuthImage key={poster.posterId} path={`/api/v1/staff/activities/${a.id}/poster/code.png`} className='poster-code' alt='签到小程序码' testId='poster-wxcode' />
            </>
          ) : null}
          <Text className='poster-id' data-testid='poster-id'>
            {poster.posterId}
          </Text>
          <P muted>{`有效到${formatMonthDayTime(poster.expiresAt)}。${IS_H5 ? '可以用浏览器打印这一页，或在现场的屏幕上显示。' : '长按图片可以保存后打印。'}`}</P>
        </View>
      ) : null}
      <Notice tone='bad' text={error} testId='poster-error' />
      {poster ? <Notice tone='wait' text='生成新的签到码后，上面这张和以前打印的就都不能用了。' testId='poster-warning' /> : null}
      <View className='actions'>
        <Btn kind={poster ? 'secondary' : 'primary'} testId='poster-new' loading={busy} disabled={poster === undefined} onClick={() => void make()}>
          {poster ? '作废这张，生成新的' : '生成签到码'}
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          收起
        </Btn>
      </View>
    </View>
  );
}

function CancelPanel({ a, onCancelled, onClose }: { a: ActivityView; onCancelled: (a: ActivityView) => void; onClose: () => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setError(null);
    const parsed = cancelReason.safeParse(text);
    if (!parsed.success) {
      setFieldError(parsed.error.issues.map((i) => i.message));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      onCancelled(await Api.cancelActivity(a.id, parsed.data));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item__panel' data-testid='cancel-panel'>
      <P>{`取消“${a.title}”后，报名和候补的人都会收到消息，消息里有您写的原因。`}</P>
      <Text className='field__label'>取消原因</Text>
      <Input className='input' value={text} maxlength={200} placeholder='例如：天气预报有大风，改期另行通知' onInput={(e) => setText(e.detail.value)} data-testid='cancel-reason-input' />
      <FieldError messages={fieldError} testId='cancel-reason-error' />
      <Notice tone='bad' text={error} />
      <View className='actions actions--row'>
        <Btn kind='danger' loading={busy} testId='cancel-submit' onClick={() => void submit()}>
          确定取消活动
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          不取消
        </Btn>
      </View>
    </View>
  );
}

function ActivityRow({ a, onCancelled }: { a: ActivityView; onCancelled: (a: ActivityView) => void }) {
  const [panel, setPanel] = useState<Panel>('none');
  const [exporting, setExporting] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const taken = a.capacity - a.seatsLeft;
  const cancelled = a.status === 'cancelled';
  // A cancelled activity is done with, like one that has ended: its roll and export stay.
  const ended = cancelled || Date.now() >= Date.parse(a.endAt);

  async function exportRoster() {
    setExporting(true);
    setError(null);
    setNote(null);
    try {
      const file = await Api.exportRoster(a.id, a.title);
      setNote(IS_H5 ? `已导出“${file.filename}”，在浏览器的下载文件夹里。` : `已打开“${file.filename}”，可以点右上角转发。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <View className='admin-item' data-testid='staff-activity'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{a.title}</Text>
          <Text className='admin-item__meta'>{formatSpan(a.startAt, a.endAt)}</Text>
          <Text className='admin-item__meta'>{`${a.place} · ${a.organiser}`}</Text>
          {cancelled ? (
            <Text className='admin-item__meta admin-item__meta--bad' data-testid='staff-activity-cancelled'>
              {`${a.cancelledAt ? `${formatMonthDayTime(a.cancelledAt)}取消` : '已取消'}${a.cancelReason ? `：${a.cancelReason}` : ''}`}
            </Text>
          ) : (
            <Text className='admin-item__meta' data-testid='staff-activity-seats'>{`已报名${taken}/${a.capacity}人${a.waiting ? `，候补${a.waiting}人` : ''}`}</Text>
          )}
        </View>
        {cancelled ? <Tag tone='bad'>已取消</Tag> : <Tag tone='info'>{activityTypeLabels[a.type]}</Tag>}
      </View>
      <Notice tone='ok' text={note} />
      <Notice tone='bad' text={error} />
      {panel === 'poster' ? <PosterPanel a={a} onClose={() => setPanel('none')} /> : null}
      {panel === 'cancel' ? <CancelPanel a={a} onCancelled={onCancelled} onClose={() => setPanel('none')} /> : null}
      {panel === 'none' ? (
        <>
          <View className='actions actions--row'>
            <Btn testId='open-attendance' onClick={() => go(withQuery(Routes.staffAttendance, { id: a.id }))}>
              签到名单
            </Btn>
            {ended ? null : (
              <Btn kind='secondary' testId='open-poster' onClick={() => setPanel('poster')}>
                签到码
              </Btn>
            )}
          </View>
          <View className='actions actions--row'>
            <Btn kind='secondary' testId='export-roster' loading={exporting} onClick={() => void exportRoster()}>
              导出名单
            </Btn>
            {ended ? null : (
              <Btn kind='secondary' testId='edit-activity' onClick={() => go(withQuery(Routes.staffActivityEdit, { id: a.id }))}>
                修改
              </Btn>
            )}
          </View>
          {ended ? null : (
            <View className='actions'>
              <Btn kind='danger' testId='cancel-open' onClick={() => setPanel('cancel')}>
                取消活动
              </Btn>
            </View>
          )}
        </>
      ) : null}
    </View>
  );
}

function ActivityList() {
  const [scope, setScope] = useState<Scope>('upcoming');
  const [items, setItems] = useState<ActivityView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (s: Scope) => {
    try {
      setItems((await Api.staffActivities(s)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  const current = useRef(scope);
  useEffect(() => {
    if (current.current === scope) return;
    current.current = scope;
    setItems(null);
    void load(scope);
  }, [scope, load]);

  // On opening, and back from the form or the roll: the list as it is now.
  useMountAndShow(() => {
    void load(current.current);
  });

  return (
    <>
      <View className='actions'>
        <Btn testId='activity-new' onClick={() => go(Routes.staffActivityEdit)}>
          发布新活动
        </Btn>
        <Btn kind='secondary' onClick={() => go(Routes.staffRewards)}>
          积分超市：上架、发放
        </Btn>
        <Btn kind='secondary' onClick={() => go(Routes.staffCampaigns)}>
          评选活动
        </Btn>
      </View>
      <View className='admin-tabs vol-gap'>
        <ChoiceGrid options={scopes} value={scope} onChange={setScope} columns={3} testId='staff-activity-tabs' />
      </View>
      <Notice tone='ok' text={notice} testId='staff-activities-notice' />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={{ upcoming: '还没有要开展的活动。', past: '还没有结束的活动。', cancelled: '没有取消过的活动。' }[scope]} /> : null}
      {items && items.length ? (
        <Card>
          {items.map((a) => (
            <ActivityRow
              key={a.id}
              a={a}
              onCancelled={(c) => {
                setItems((list) => list?.filter((x) => x.id !== c.id) ?? null);
                setNotice(`已取消“${c.title}”，报名的人会收到消息。`);
              }}
            />
          ))}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffActivities() {
  return (
    <PageShell title='志愿活动管理' subtitle='发布活动、打印签到码、确认时长' className='page-staff-activities'>
      <CentreOnly>
        <ActivityList />
      </CentreOnly>
    </PageShell>
  );
}
