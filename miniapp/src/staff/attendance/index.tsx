import { useCallback, useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { hoursConfirmBody, type ActivityView, type SignupView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, Empty, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { hoursText, signupLabel, signupTone } from '../../components/volunteer';
import { IS_H5 } from '../../env';
import { Api } from '../../services/endpoints';
import { formatSpan, formatTime } from '../../services/format';
import { messageOf } from '../../services/request';
import { pathErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';
import '../volunteer.scss';

/** The list refreshes itself this often while the page is open (people scan in as they arrive). */
const REFRESH_MS = 30_000;

/** Checked out, not yet confirmed: these can be confirmed as scanned, many at once. */
const confirmable = (s: SignupView) => s.status === 'checked_out' && s.confirmedMinutes === null;

function AdjustPanel({ s, activityId, onDone, onClose }: { s: SignupView; activityId: string; onDone: (rows: SignupView[], text: string) => void; onClose: () => void }) {
  const [minutes, setMinutes] = useState(String(s.confirmedMinutes ?? s.scannedMinutes ?? ''));
  const [why, setWhy] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = Number(minutes.trim());

  async function submit() {
    setError(null);
    if (minutes.trim() === '' || !Number.isFinite(typed)) {
      setErrors({ 'items.0.minutes': ['请填写确认的分钟数，例如 90'] });
      return;
    }
    const parsed = hoursConfirmBody.safeParse({ items: [{ signupId: s.id, minutes: typed, ...(why.trim() ? { reason: why } : {}) }] });
    if (!parsed.success) {
      setErrors(pathErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await Api.confirmHours(activityId, parsed.data);
      onDone(r.items, `已把${s.residentName}的时长定为${hoursText(parsed.data.items[0]!.minutes ?? 0)}小时。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item__panel' data-testid='adjust-panel'>
      <P>{s.scannedMinutes !== null ? `扫码记下${s.scannedMinutes}分钟（${hoursText(s.scannedMinutes)}小时）。` : '没有签退，扫码没有记下时长。'}</P>
      <Text className='field__label'>确认多少分钟</Text>
      <Input className='input' type='number' value={minutes} maxlength={3} placeholder='例如 90' onInput={(e) => setMinutes(e.detail.value)} data-testid='adjust-minutes-input' />
      {Number.isFinite(typed) && minutes.trim() ? <Text className='admin-item__meta'>{`= ${hoursText(typed)}小时`}</Text> : null}
      <FieldError messages={errors['items.0.minutes']} testId='adjust-minutes-error' />
      <Text className='field__label vol-gap'>调整原因（必填，志愿者能看到）</Text>
      <Input className='input' value={why} maxlength={200} placeholder='例如：忘了签退，按实际到18:00' onInput={(e) => setWhy(e.detail.value)} data-testid='adjust-reason-input' />
      <FieldError messages={errors['items.0.reason']} testId='adjust-reason-error' />
      <Notice tone='bad' text={error} />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='adjust-submit' onClick={() => void submit()}>
          确认
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function Roll({ activityId }: { activityId: string }) {
  const [a, setA] = useState<ActivityView | null>(null);
  const [rows, setRows] = useState<SignupView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [adjusting, setAdjusting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [noShowAsk, setNoShowAsk] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(async () => {
    try {
      const [act, list] = await Promise.all([Api.activity(activityId), Api.attendance(activityId)]);
      setA(act);
      setRows(list.items);
      setNow(Date.now());
      setError(null);
      // Someone confirmed meanwhile: they are no longer to be chosen.
      setSelected((sel) => sel.filter((id) => list.items.some((s) => s.id === id && confirmable(s))));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [activityId]);

  useMountAndShow(() => {
    void load();
  });
  useEffect(() => {
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  function merge(changed: SignupView[], text: string) {
    setRows((list) => list?.map((x) => changed.find((c) => c.id === x.id) ?? x) ?? null);
    setSelected((sel) => sel.filter((id) => !changed.some((c) => c.id === id)));
    setAdjusting(null);
    setNotice(text);
  }

  async function confirmSelected() {
    setError(null);
    setNotice(null);
    const parsed = hoursConfirmBody.safeParse({ items: selected.map((signupId) => ({ signupId })) });
    if (!parsed.success) {
      setError('请先选择要确认的人');
      return;
    }
    setBusy(true);
    try {
      const r = await Api.confirmHours(activityId, parsed.data);
      merge(r.items, `已确认${r.items.length}人的时长，时长和积分已记到他们名下。`);
    } catch (e) {
      setError(messageOf(e));
      void load();
    } finally {
      setBusy(false);
    }
  }

  async function markNoShows() {
    setBusy(true);
    setError(null);
    try {
      const r = await Api.markActivityNoShows(activityId);
      setNoShowAsk(false);
      setNotice(r.marked ? `已把${r.marked}位没有签到的人标记为未到场。` : '没有需要标记的人。');
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function exportRoster() {
    if (!a) return;
    setExporting(true);
    setError(null);
    try {
      const file = await Api.exportRoster(a.id, a.title);
      setNotice(IS_H5 ? `已导出“${file.filename}”，在浏览器的下载文件夹里。` : `已打开“${file.filename}”，可以点右上角转发。`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setExporting(false);
    }
  }

  if (!rows || !a) return error ? <Notice tone='bad' text={error} /> : <Loading />;

  const count = (...st: SignupView['status'][]) => rows.filter((s) => st.includes(s.status)).length;
  const waiting = rows.filter(confirmable);
  const ended = now >= Date.parse(a.endAt);

  return (
    <>
      <Card title={a.title} testId='attendance-head'>
        <P muted>{`${formatSpan(a.startAt, a.endAt)} · ${a.place}`}</P>
        <View className='att-counts' data-testid='attendance-counts'>
          <Tag tone='ok'>{`已报名${count('confirmed', 'checked_in', 'checked_out', 'no_show')}人`}</Tag>
          <Tag tone='ok'>{`已签到${count('checked_in', 'checked_out')}人`}</Tag>
          <Tag tone='info'>{`已签退${count('checked_out')}人`}</Tag>
          {count('waitlisted') ? <Tag tone='wait'>{`候补${count('waitlisted')}人`}</Tag> : null}
          {count('no_show') ? <Tag tone='bad'>{`未到场${count('no_show')}人`}</Tag> : null}
        </View>
        <View className='actions actions--row'>
          <Btn kind='secondary' testId='attendance-reload' onClick={() => void load()}>
            刷新
          </Btn>
          <Btn kind='secondary' testId='attendance-export' loading={exporting} onClick={() => void exportRoster()}>
            导出名单
          </Btn>
        </View>
        <P muted>名单每30秒自动刷新一次。</P>
      </Card>

      <Notice tone='ok' text={notice} testId='attendance-notice' />
      <Notice tone='bad' text={error} testId='attendance-error' />

      <Card title='确认时长' testId='confirm-card'>
        <P muted>签退后的扫码时长，核对无误后确认，就记入志愿者的时长和积分。在名单里点方框选人；不对的可以单独调整，要写原因。</P>
        {waiting.length ? (
          <View className='actions'>
            <Btn kind='secondary' testId='select-all' onClick={() => setSelected(selected.length === waiting.length ? [] : waiting.map((s) => s.id))}>
              {selected.length === waiting.length ? '全部不选' : `选中全部待确认的（${waiting.length}人）`}
            </Btn>
            <Btn testId='confirm-selected' loading={busy} disabled={selected.length === 0} onClick={() => void confirmSelected()}>
              {`确认时长（已选${selected.length}人）`}
            </Btn>
          </View>
        ) : (
          <P>现在没有待确认的时长。</P>
        )}
      </Card>

      <Card title='名单' testId='attendance-list'>
        {rows.length === 0 ? <Empty text='还没有人报名。' /> : null}
        {rows.map((s) => {
          const can = confirmable(s);
          const on = selected.includes(s.id);
          return (
            <View key={s.id} className='att-item' data-testid='attendance-row'>
              <View className='att-item__row'>
                {can ? (
                  <View
                    className={`tap att-check ${on ? 'att-check--on' : ''}`}
                    role='checkbox'
                    aria-checked={on}
                    aria-label={`选中${s.residentName}`}
                    data-testid={`select-${s.id}`}
                    onClick={() => setSelected(on ? selected.filter((x) => x !== s.id) : [...selected, s.id])}
                  >
                    <Text className='att-check__mark'>{on ? '✓' : ''}</Text>
                  </View>
                ) : null}
                <View className='admin-item__main'>
                  <Text className='admin-item__name'>{s.residentName}</Text>
                  <Text className='admin-item__meta'>
                    {[
                      s.checkInAt ? `签到${formatTime(s.checkInAt)}` : null,
                      s.checkOutAt ? `签退${formatTime(s.checkOutAt)}` : null,
                      s.scannedMinutes !== null ? `扫码${hoursText(s.scannedMinutes)}小时` : null,
                      s.actedByName ? `${s.actedByName}代报` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ') || ' '}
                  </Text>
                  {s.confirmedMinutes !== null ? <Text className='admin-item__meta'>{`已确认${hoursText(s.confirmedMinutes)}小时`}</Text> : null}
                </View>
                <Tag tone={signupTone(s.status)}>{signupLabel(s)}</Tag>
              </View>
              {adjusting === s.id ? (
                <AdjustPanel s={s} activityId={activityId} onDone={merge} onClose={() => setAdjusting(null)} />
              ) : s.status === 'checked_out' || s.status === 'checked_in' ? (
                <View className='actions'>
                  <Btn kind='plain' testId={`adjust-open-${s.id}`} onClick={() => setAdjusting(s.id)}>
                    {s.status === 'checked_in' ? '没签退：填写时长' : '调整时长'}
                  </Btn>
                </View>
              ) : null}
            </View>
          );
        })}
      </Card>

      {ended ? (
        <Card title='没来的人' testId='no-shows'>
          {noShowAsk ? (
            <View className='admin-item__panel'>
              <P>报了名却没有签到的人会标记为未到场，还在候补的人记为候补未成功。确定吗？</P>
              <View className='actions actions--row'>
                <Btn kind='danger' loading={busy} testId='no-shows-submit' onClick={() => void markNoShows()}>
                  确定标记
                </Btn>
                <Btn kind='plain' onClick={() => setNoShowAsk(false)}>
                  取消
                </Btn>
              </View>
            </View>
          ) : (
            <Btn kind='danger' testId='no-shows-open' onClick={() => setNoShowAsk(true)}>
              标记未到场
            </Btn>
          )}
        </Card>
      ) : (
        <P muted>活动结束后，可以在这里把没来的人标记为未到场。</P>
      )}
    </>
  );
}

export default function StaffAttendance() {
  const { params } = useRouter();
  return (
    <PageShell title='签到名单' subtitle='谁到了、谁走了，确认志愿时长' className='page-staff-attendance'>
      <CentreOnly>
        <Roll activityId={params.id ?? ''} />
      </CentreOnly>
    </PageShell>
  );
}
