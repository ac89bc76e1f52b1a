import { useRef, useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { activityTypeLabels, errorCatalogue, type ActivityView, type SignupView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Loading, Notice, P, Tag } from '../../components/ui';
import { ageText, seatsText, signupLabel, signupTone, signupWindow } from '../../components/volunteer';
import { Api } from '../../services/endpoints';
import { formatMonthDayTime, formatSpan, formatTime, shanghaiToday } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { go, Routes } from '../../services/navigate';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { failureOf, type Failure } from '../../booking/failure';
import { cutoffWords, Fact } from '../../booking/parts';
import { checkInOrOut, scanPosterCode, type ScanOutcome } from '../poster';
import '../../booking/booking.scss';
import '../volunteer.scss';

interface Grantor {
  id: string;
  name: string;
}

type Mode = 'idle' | 'confirm-signup' | 'confirm-cancel';

/** The Shanghai date of an ISO time. */
const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

export default function VolunteerActivity() {
  const { params } = useRouter();
  const activityId = params.id ?? '';
  const [a, setA] = useState<ActivityView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // Relatives who let this person sign them up (授权: 活动报名).
  const [grantors, setGrantors] = useState<Grantor[]>([]);
  const [forResident, setForResident] = useState<Grantor | null>(null);
  const [actingRefused, setActingRefused] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('idle');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [scan, setScan] = useState<ScanOutcome | null>(null);
  const [scanProblem, setScanProblem] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  // One key per write attempt, kept only while its answer is unknown (see the booking page).
  const key = useRef<string | null>(null);

  async function load(who: Grantor | null = forResident) {
    try {
      setA(await Api.activity(activityId, who?.id));
      setLoadError(null);
    } catch (e) {
      setLoadError(failureOf(e).message);
    }
  }

  async function loadGrantors() {
    const lists = await Api.authorities().catch(() => null);
    setGrantors((lists?.received ?? []).filter((x) => x.active && x.scopes.includes('signups')).map((x) => ({ id: x.grantorId, name: x.grantorName })));
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await Promise.all([load(), loadGrantors()]);
    })();
  });

  function reset() {
    setMode('idle');
    setFailure(null);
    setNotice(null);
    key.current = null;
  }

  function choose(id: string) {
    const g = grantors.find((x) => x.id === id) ?? null;
    setForResident(g);
    setActingRefused(null);
    setScan(null);
    reset();
    void load(g);
  }

  async function write(run: (key: string) => Promise<SignupView>, done: (s: SignupView) => string) {
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    try {
      const s = await run(key.current);
      key.current = null;
      setMode('idle');
      setNotice(done(s));
      await load();
    } catch (e) {
      const f = failureOf(e);
      if (!f.retry) key.current = null;
      setFailure(f);
      // The relative took the authority back meanwhile: their choice goes, nobody is chosen.
      if (f.code === 'ACTING_NOT_ALLOWED') {
        setForResident(null);
        setMode('idle');
        setActingRefused(f.message);
        void loadGrantors();
        void load(null);
      } else if (!f.retry) {
        // Places, the line or the sign-up itself moved on: show them as they are now.
        void load();
      }
    } finally {
      setBusy(false);
    }
  }

  async function scanNow() {
    setScan(null);
    setScanProblem(null);
    const got = await scanPosterCode();
    if (!got) return;
    if ('problem' in got) {
      setScanProblem(got.problem);
      return;
    }
    setScanning(true);
    try {
      setScan(await checkInOrOut(got.posterId));
      await load();
    } finally {
      setScanning(false);
    }
  }

  if (!a) {
    return (
      <PageShell title='志愿活动' className='page-volunteer-activity'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => go(Routes.volunteer)}>
            看看其他活动
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  const now = Date.now();
  const window = signupWindow(a, now);
  const mine = a.mySignup;
  const cancelled = a.status === 'cancelled';
  const ended = now >= Date.parse(a.endAt);
  const who = forResident ? forResident.name : '您';
  const cutoffAt = Date.parse(a.startAt) - a.cancelCutoffMinutes * 60_000;
  const canCancel = !cancelled && !!mine && (mine.status === 'waitlisted' || (mine.status === 'confirmed' && now <= cutoffAt));
  const today = shanghaiToday();
  const onTheDay = today >= dayOf(a.startAt) && today <= dayOf(a.endAt);
  // Scans check in the person holding the phone, never a relative.
  const canScan = !cancelled && !forResident && !!mine && (mine.status === 'confirmed' || mine.status === 'checked_in') && onTheDay && !ended;
  const ages = ageText(a.minAge, a.maxAge);
  const full = a.seatsLeft <= 0;

  return (
    <PageShell title={a.title} subtitle={activityTypeLabels[a.type]} className='page-volunteer-activity'>
      {cancelled ? <Notice tone='bad' text={a.cancelReason ? `这个活动已取消：${a.cancelReason}` : '这个活动已取消。'} testId='activity-cancelled' /> : null}

      <Card title='活动信息' testId='activity-facts'>
        <View className='facts'>
          <Fact k='时间' v={formatSpan(a.startAt, a.endAt)} />
          <Fact k='地点' v={a.place} />
          <Fact k='组织' v={a.organiser} />
          <Fact k='名额' v={seatsText(a)} />
          <Fact k='报名' v={`${formatMonthDayTime(a.signupOpensAt)} 到 ${formatMonthDayTime(a.signupClosesAt)}`} />
          {a.skills.length ? <Fact k='需要' v={a.skills.join('、')} /> : null}
          {ages ? <Fact k='年龄' v={`${ages}（按志愿者资料里的身份证号核对）`} /> : null}
          {a.pointsPerHour > 0 ? <Fact k='积分' v={`每服务1小时得${a.pointsPerHour}积分`} /> : null}
        </View>
      </Card>

      {actingRefused ? <Notice tone='bad' text={actingRefused} testId='sign-for-refused' /> : null}
      {grantors.length && !cancelled ? (
        <Card title='为谁报名'>
          <ChoiceGrid
            testId='sign-for'
            options={[{ value: 'self', label: '我自己' }, ...grantors.map((g) => ({ value: g.id, label: g.name, hint: '已授权我代报' }))]}
            value={forResident?.id ?? 'self'}
            onChange={(v) => choose(v)}
          />
          <P muted>替家人报名后，对方会收到消息，报名记录里会写明是您代报的。</P>
        </Card>
      ) : null}

      <Card title={forResident ? `${forResident.name}的报名` : '我的报名'} id='signup-card' testId='signup-card' className='card--accent'>
        <Notice tone='ok' text={notice} testId='signup-notice' />
        {mine ? (
          <View className='tags vol-status'>
            <Tag tone={signupTone(mine.status)}>{signupLabel(mine)}</Tag>
          </View>
        ) : null}

        {mine?.status === 'waitlisted' ? (
          <Notice
            tone='wait'
            testId='wait-position'
            text={`${who}排在候补第${mine.waitPosition ?? 1}位。有人取消会按顺序补上，补上了会发消息告诉${forResident ? '对方' : '您'}。`}
          />
        ) : null}
        {mine?.status === 'confirmed' ? (
          <P>{`${who}已报上名。${formatSpan(a.startAt, a.endAt)}，请到${a.place}。到了以后扫现场的签到码签到。`}</P>
        ) : null}
        {mine?.status === 'checked_in' ? (
          <P>{`已于${formatTime(mine.checkInAt)}签到。活动结束离开时，请再扫一次签到码签退。`}</P>
        ) : null}
        {mine?.status === 'checked_out' ? (
          <P>{`已签退（${formatTime(mine.checkInAt)}–${formatTime(mine.checkOutAt)}）。组织方确认后，时长和积分会记到名下。`}</P>
        ) : null}
        {mine?.status === 'no_show' ? <P>这次活动没有签到，记为未到场。</P> : null}

        {canScan ? (
          <View className='actions'>
            <Btn testId='scan-open' className='scan-open' loading={scanning} onClick={() => void scanNow()}>
              {mine?.status === 'checked_in' ? '扫码签退' : '扫码签到'}
            </Btn>
          </View>
        ) : null}
        <Notice tone='bad' text={scanProblem} testId='scan-problem' />
        {scan ? <Notice tone={scan.ok ? 'ok' : 'bad'} text={[scan.title, scan.hours, scan.detail].filter(Boolean).join('：')} testId='scan-result' /> : null}

        {!mine && !cancelled ? (
          <>
            <Notice tone={window.state === 'open' ? 'info' : 'wait'} text={window.text} testId='signup-window' />
            {window.state === 'open' && mode === 'idle' ? (
              <View className='actions'>
                <Btn testId='signup-open' className='signup-open' onClick={() => { reset(); setMode('confirm-signup'); }}>
                  {full ? (forResident ? `为${forResident.name}候补` : '我要候补') : forResident ? `为${forResident.name}报名` : '我要报名'}
                </Btn>
              </View>
            ) : null}
          </>
        ) : null}

        {mode === 'confirm-signup' && !mine ? (
          <View className='confirm' data-testid='signup-confirm'>
            <P>{full ? `名额已满。${who}可以排队候补${a.waiting > 0 ? `（前面有${a.waiting}人）` : ''}，有人取消就按顺序补上。` : `确定为${forResident ? forResident.name : '自己'}报名吗？`}</P>
            {a.skills.length || ages ? <P muted>{`请确认符合要求：${[a.skills.join('、'), ages ? `年龄${ages}` : ''].filter(Boolean).join('；')}。`}</P> : null}
            <View className='actions'>
              <Btn
                testId='signup-submit'
                className='signup-submit'
                loading={busy}
                onClick={() =>
                  void write(
                    (k) => Api.signUp(a.id, k, forResident?.id),
                    (s) =>
                      s.status === 'waitlisted'
                        ? `已排上候补，第${s.waitPosition ?? 1}位。`
                        : forResident
                          ? `已为${forResident.name}报上名，对方会收到消息。`
                          : '报名成功！活动当天到现场扫码签到。',
                  )
                }
              >
                {failure?.retry ? '重试' : full ? '确认候补' : '确认报名'}
              </Btn>
              <Btn kind='plain' onClick={reset}>
                再想想
              </Btn>
            </View>
          </View>
        ) : null}

        {mine && canCancel && mode === 'idle' ? (
          <>
            {mine.status === 'confirmed' ? <P muted>{`活动开始${cutoffWords(a.cancelCutoffMinutes) || ''}前（${formatMonthDayTime(new Date(cutoffAt).toISOString())}前）可以取消。`}</P> : null}
            <View className='actions'>
              <Btn kind='danger' testId='cancel-open' onClick={() => { reset(); setMode('confirm-cancel'); }}>
                {mine.status === 'waitlisted' ? '退出候补' : '取消报名'}
              </Btn>
            </View>
          </>
        ) : null}
        {mine && mine.status === 'confirmed' && !canCancel && !ended && !cancelled ? (
          <Notice tone='wait' text={errorCatalogue.CANCEL_TOO_LATE.message} testId='cancel-too-late' />
        ) : null}

        {mode === 'confirm-cancel' && mine ? (
          <View className='confirm' data-testid='cancel-confirm'>
            <P>{mine.status === 'waitlisted' ? '确定不再候补了吗？' : '确定取消报名吗？名额会让给候补的人。'}</P>
            <View className='actions'>
              <Btn
                kind='danger'
                testId='cancel-submit'
                loading={busy}
                onClick={() => void write((k) => Api.cancelSignup(mine.id, k), () => (mine.status === 'waitlisted' ? '已退出候补。' : '已取消报名。'))}
              >
                {failure?.retry ? '重试' : '确认取消'}
              </Btn>
              <Btn kind='plain' onClick={reset}>
                不取消了
              </Btn>
            </View>
          </View>
        ) : null}

        <Notice tone='bad' text={failure?.message} testId='signup-error' />
        {failure?.code === 'FORBIDDEN' ? (
          <Btn kind='secondary' onClick={() => go(Routes.bindingApply)}>
            去绑定房屋
          </Btn>
        ) : null}
        {failure?.code === 'AGE_UNKNOWN' && !forResident ? (
          <Btn kind='secondary' testId='fill-profile' onClick={() => go(Routes.volunteerProfile)}>
            去填写志愿者资料
          </Btn>
        ) : null}
      </Card>

      {a.description ? (
        <Card title='活动介绍' testId='activity-description'>
          <P>{a.description}</P>
        </Card>
      ) : null}

      <View className='actions'>
        <Btn kind='plain' onClick={() => go(Routes.volunteerMe)}>
          我的志愿
        </Btn>
        <Btn kind='plain' onClick={() => go(Routes.volunteer)}>
          看看其他活动
        </Btn>
      </View>
    </PageShell>
  );
}
