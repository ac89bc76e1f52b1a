import { useCallback, useEffect, useRef, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { useDidHide, useDidShow, useRouter } from '@tarojs/taro';
import {
  addDays,
  councilMemberTitleLabels,
  followUpBody,
  meetingMinutesBody,
  resolutionCreateBody,
  type AttendanceView,
  type FieldErrors,
  type MeetingDetailView,
  type MeetingView,
  type ResolutionView,
  type SignInCodeView,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { AuthImage } from '../../components/AuthImage';
import { IS_H5, IS_WEAPP } from '../../env';
import { Api } from '../../services/endpoints';
import { formatMonthDayTime, formatTime, shanghaiToday } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { QrCode } from '../../booking/QrCode';
import { AttendanceBlock, meetingPhase, meetingWhen, Minutes, phaseLabels, phaseTones, Resolution, started } from '../../vote/meetingParts';
import { CentreOnly } from '../CentreOnly';
import { dayText } from '../dates';
import '../../booking/booking.scss';
import '../admin.scss';
import '../meeting.scss';
import { ConfirmPanel } from '../ConfirmPanel';

/** 实到 and the roll refresh this often while the page is shown (members scan in as they arrive). */
const DESK_REFRESH_MS = 10_000;

/**
 * What the QR code holds: in the browser a full link to the H5 sign-in page, so a
 * phone's camera opens it; in WeChat the mini-program page path.
 */
function signLink(page: string): string {
  if (IS_H5 && typeof window !== 'undefined') return `${window.location.origin}${window.location.pathname}#/${page.replace(/^\//, '')}`;
  return page;
}

// --- 签到码 ---

function PosterCard({ m }: { m: MeetingView }) {
  // undefined: still asking; null: there is none yet.
  const [code, setCode] = useState<SignInCodeView | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [made, setMade] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Api.meetingSignInCode(m.id)
      .then((r) => live && setCode(r.current))
      .catch((e: unknown) => {
        if (!live) return;
        setCode(null);
        setError(messageOf(e));
      });
    return () => {
      live = false;
    };
  }, [m.id]);

  async function make() {
    setBusy(true);
    setError(null);
    try {
      setCode(await Api.newMeetingSignInCode(m.id));
      setMade(true);
      setAsking(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='签到码' className='mtg-poster-card' testId='desk-poster'>
      {code === undefined ? <Loading text='正在取现在的签到码…' /> : null}
      {code === null && !error ? <P>还没有签到码。生成后打印出来贴在会场门口，或者在会场的屏幕上显示。</P> : null}
      {code ? (
        <View className='mtg-poster' data-testid='poster'>
          <Text className='mtg-poster__head'>议事会签到</Text>
          <Text className='mtg-poster__title'>{m.title}</Text>
          <Text className='mtg-poster__line'>{`${meetingWhen(m)} · ${m.place}`}</Text>
          {IS_WEAPP ? (
            // WeChat's scanner opens a mini-program only from its own code (the scene carries the sign-in code).
            <AuthImage key={code.code} path={`/api/v1/staff/meetings/${m.id}/sign-in-code/code.png`} className='poster-code' alt='签到小程序码' testId='poster-wxcode' />
          ) : (
            <QrCode text={signLink(code.page)} testId='poster-qr' />
          )}
          <Text className='mtg-poster__line'>议事会成员请用微信“扫一扫”扫码签到</Text>
          <Text className='mtg-poster__code' data-testid='poster-code'>
            {code.code}
          </Text>
          <Text className='mtg-poster__line mtg-noprint' data-testid='poster-state'>
            {`${made ? '新的签到码' : '现在有效的签到码'}，有效到${formatMonthDayTime(code.expiresAt)}`}
          </Text>
        </View>
      ) : null}
      <Notice tone='bad' text={error} testId='poster-error' />
      {asking ? (
        <ConfirmPanel
          testId='poster-renew-panel'
          text='换一张以后，上面这张和已经打印的都不能再用，要重新打印或显示新的。确定吗？'
          confirmLabel='确定换一张'
          backLabel='不换'
          busy={busy}
          confirmTestId='poster-renew-confirm'
          onConfirm={() => void make()}
          onBack={() => setAsking(false)}
        />
      ) : (
        <View className='actions actions--row'>
          {code ? (
            <Btn kind='secondary' testId='poster-renew' onClick={() => setAsking(true)}>
              换一张
            </Btn>
          ) : (
            <Btn testId='poster-new' loading={busy} disabled={code === undefined} onClick={() => void make()}>
              生成签到码
            </Btn>
          )}
          {code && IS_H5 ? (
            <Btn kind='secondary' testId='poster-print' onClick={() => window.print()}>
              打印签到码
            </Btn>
          ) : null}
        </View>
      )}
    </Card>
  );
}

// --- 签到名单 ---

function Roll({ m, rows, onSigned }: { m: MeetingView; rows: AttendanceView[]; onSigned: (row: AttendanceView) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ userId: string; text: string } | null>(null);

  async function deskSignIn(row: AttendanceView) {
    setBusy(row.userId);
    setError(null);
    try {
      onSigned(await Api.deskSignIn(m.id, row.userId));
    } catch (e) {
      setError({ userId: row.userId, text: messageOf(e) });
    } finally {
      setBusy(null);
    }
  }

  const present = rows.filter((r) => r.signedInAt);
  const absent = rows.filter((r) => !r.signedInAt);
  const canDesk = m.status !== 'cancelled' && m.signInOpen;
  return (
    <Card title={`签到名单（已到${present.length}人，未到${absent.length}人）`} testId='desk-roll'>
      {rows.length === 0 ? <Empty text='这次会议没有应到的成员。' /> : null}
      {!canDesk && absent.length && m.status !== 'cancelled' ? <P muted>会议开始前1小时到会议结束，可以在这里替没带手机的成员代签到。</P> : null}
      {[...absent, ...present].map((r) => (
        <View key={r.userId} className='mtg-roll' data-testid='roll-row' data-user={r.userId} data-present={r.signedInAt ? '1' : '0'}>
          <View className='admin-item__main'>
            <Text className='admin-item__name'>{r.name}</Text>
            <Text className='admin-item__meta'>
              {`${councilMemberTitleLabels[r.title]}${r.signedInAt ? ` · ${formatTime(r.signedInAt)}${r.method === 'desk' ? '代签到' : '扫码签到'}` : ''}`}
            </Text>
            {error?.userId === r.userId ? <Notice tone='bad' text={error.text} testId='roll-error' /> : null}
          </View>
          <View className='mtg-roll__act'>
            {r.signedInAt ? (
              <Tag tone='ok'>已到</Tag>
            ) : canDesk ? (
              <Btn kind='secondary' className='admin-btn-inline' loading={busy === r.userId} testId={`desk-sign-${r.userId}`} onClick={() => void deskSignIn(r)}>
                代签到
              </Btn>
            ) : (
              <Tag tone='wait'>未到</Tag>
            )}
          </View>
        </View>
      ))}
    </Card>
  );
}

// --- 会议纪要 ---

function MinutesEditor({ m, onSaved }: { m: MeetingView; onSaved: (m: MeetingView) => void }) {
  const [text, setText] = useState(m.minutes?.text ?? '');
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Someone else saved a revision meanwhile: show it, unless this desk is typing.
  useEffect(() => {
    if (!dirty && m.minutes) setText(m.minutes.text);
  }, [m.minutes?.revision]);

  async function save() {
    setError(null);
    setSaved(null);
    const parsed = meetingMinutesBody.safeParse({ text });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const after = await Api.saveMinutes(m.id, parsed.data.text);
      setDirty(false);
      setSaved(`已保存为第${after.minutes?.revision ?? 1}版，居民在议事会页面就能看到。`);
      onSaved(after);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='会议纪要' testId='desk-minutes'>
      {m.minutes ? <Minutes minutes={m.minutes} /> : null}
      <Field label={m.minutes ? '修改纪要（保存后是新的一版，旧版会留着）' : '写纪要'} hint='谁发了言、讨论了什么、怎么定的' error={errors.text} testId='minutes'>
        <Textarea
          className='input textarea mtg-textarea'
          value={text}
          maxlength={10000}
          placeholder='例如：会议由社区书记主持，应到9人，实到7人……'
          onInput={(e) => {
            setText(e.detail.value);
            setDirty(true);
          }}
          data-testid='minutes-input'
        />
      </Field>
      <Notice tone='ok' text={saved} testId='minutes-saved' />
      <Notice tone='bad' text={error} testId='minutes-error' />
      <Btn loading={busy} testId='minutes-save' onClick={() => void save()}>
        保存纪要
      </Btn>
    </Card>
  );
}

// --- 决议 ---

const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

function dueChoices(today = shanghaiToday()) {
  const ahead: Array<[number, string]> = [
    [7, '一周内'],
    [15, '半个月内'],
    [30, '一个月内'],
    [90, '三个月内'],
  ];
  return ahead.map(([d, label]) => {
    const date = addDays(today, d);
    return { value: date, label, hint: dayText(date, today) };
  });
}

function ResolutionForm({ m, index, onCreated, onClose }: { m: MeetingView; index: number; onCreated: (r: ResolutionView) => void; onClose: () => void }) {
  const [text, setText] = useState('');
  const [yes, setYes] = useState('');
  const [no, setNo] = useState('');
  const [abstain, setAbstain] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = dueChoices();

  async function submit() {
    setError(null);
    const parsed = resolutionCreateBody.safeParse({ agendaIndex: index, text, yes: num(yes), no: num(no), abstain: num(abstain), owner, dueDate: due.trim() || undefined });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    const { yes: y, no: n, abstain: a } = parsed.data;
    if (y + n + a > m.present) {
      setErrors({ yes: [`赞成、反对、弃权加起来是${y + n + a}人，超过了到会的${m.present}人`] });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onCreated(await Api.createResolution(m.id, parsed.data));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const countField = (label: string, value: string, set: (v: string) => void, key: 'yes' | 'no' | 'abstain') => (
    <View className='mtg-counts__one'>
      <Field label={label} error={errors[key]} testId={`res-${index}-${key}`}>
        <Input className='input' type='number' value={value} maxlength={3} placeholder='人数' onInput={(e) => set(e.detail.value)} data-testid={`res-${index}-${key}-input`} />
      </Field>
    </View>
  );

  return (
    <View className='mtg-desk-form' data-testid={`res-form-${index}`}>
      <P muted>{`现在到会${m.present}人。赞成的超过到会人数的一半，决议才算通过。`}</P>
      {!m.quorumMet ? <Notice tone='wait' text='到会的还没过半数，现在不能形成决议。' /> : null}
      <Field label='决议内容' error={errors.text} testId={`res-${index}-text`}>
        <Textarea className='input textarea mtg-textarea mtg-textarea--small' value={text} maxlength={1000} placeholder='例如：在3号楼东侧安装电动车充电桩10个' onInput={(e) => setText(e.detail.value)} data-testid={`res-${index}-text-input`} />
      </Field>
      <View className='mtg-counts'>
        {countField('赞成', yes, setYes, 'yes')}
        {countField('反对', no, setNo, 'no')}
        {countField('弃权', abstain, setAbstain, 'abstain')}
      </View>
      <Field label='落实责任方' hint='居民看得懂的名字，例如：金城物业、第一网格' error={errors.owner} testId={`res-${index}-owner`}>
        <Input className='input' value={owner} maxlength={40} placeholder='例如：金城物业' onInput={(e) => setOwner(e.detail.value)} data-testid={`res-${index}-owner-input`} />
      </Field>
      <Field label='完成期限' hint='点一个，或写成 2026-12-31 这样' error={errors.dueDate} testId={`res-${index}-due`}>
        <ChoiceGrid columns={2} testId={`res-${index}-due-choices`} options={choices} value={choices.some((c) => c.value === due) ? due : null} onChange={setDue} />
        <View className='mtg-gap'>
          <Input className='input' value={due} maxlength={10} placeholder='2026-12-31' onInput={(e) => setDue(e.detail.value)} data-testid={`res-${index}-due-input`} />
        </View>
      </Field>
      <Notice tone='bad' text={error} testId={`res-${index}-error`} />
      <View className='actions actions--row'>
        <Btn loading={busy} testId={`res-${index}-submit`} onClick={() => void submit()}>
          记录决议
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          收起
        </Btn>
      </View>
    </View>
  );
}

function FollowUpForm({ r, onSaved }: { r: ResolutionView; onSaved: (r: ResolutionView) => void }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<'in_progress' | 'done' | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setError(null);
    const parsed = followUpBody.safeParse({ note, status: status ?? undefined });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSaved(await Api.addResolutionFollowUp(r.id, parsed.data));
      setOpen(false);
      setNote('');
      setStatus(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <View className='actions'>
        <Btn kind='secondary' testId={`follow-open-${r.id}`} onClick={() => setOpen(true)}>
          记一笔落实进展
        </Btn>
      </View>
    );
  }
  return (
    <View className='mtg-desk-form' data-testid={`follow-form-${r.id}`}>
      <Field label='进展说明' error={errors.note} testId='follow-note'>
        <Textarea className='input textarea mtg-textarea mtg-textarea--small' value={note} maxlength={500} placeholder='例如：物业已订购充电桩，下周安装' onInput={(e) => setNote(e.detail.value)} data-testid='follow-note-input' />
      </Field>
      <Field label='落实情况' error={errors.status} testId='follow-status'>
        <ChoiceGrid
          columns={2}
          testId='follow-status-choices'
          options={[
            { value: 'in_progress', label: '还在落实' },
            { value: 'done', label: '已经落实' },
          ]}
          value={status}
          onChange={setStatus}
        />
      </Field>
      <Notice tone='bad' text={error} testId='follow-error' />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='follow-submit' onClick={() => void submit()}>
          保存进展
        </Btn>
        <Btn kind='plain' onClick={() => setOpen(false)}>
          收起
        </Btn>
      </View>
      <P muted>选“已经落实”后，这项决议就办完了，不能再记进展。</P>
    </View>
  );
}

function Resolutions({ m, onResolution }: { m: MeetingDetailView; onResolution: (r: ResolutionView) => void }) {
  const begun = started(m);
  // One form open at a time: the agenda stays short to read down.
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Card title='决议' testId='desk-resolutions'>
      {!begun ? <P muted>会议开始后，在这里按议题记录表决结果和决议。</P> : null}
      {m.agenda.map((a, i) => {
        const r = m.resolutions.find((x) => x.agendaIndex === i);
        return (
          <View key={i} className='admin-item' data-testid={`desk-agenda-${i}`}>
            {r ? (
              <Resolution r={r}>{r.status !== 'done' ? <FollowUpForm r={r} onSaved={onResolution} /> : null}</Resolution>
            ) : (
              <>
                <Text className='admin-item__name'>{`${i + 1}. ${a.title}`}</Text>
                {!begun ? (
                  <Text className='admin-item__meta'>还没有决议</Text>
                ) : open === i ? (
                  <ResolutionForm
                    m={m}
                    index={i}
                    onClose={() => setOpen(null)}
                    onCreated={(r) => {
                      setOpen(null);
                      onResolution(r);
                    }}
                  />
                ) : (
                  <View className='actions'>
                    <Btn kind='secondary' testId={`res-open-${i}`} onClick={() => setOpen(i)}>
                      记录这项的决议
                    </Btn>
                  </View>
                )}
              </>
            )}
          </View>
        );
      })}
    </Card>
  );
}

// --- The desk ---

function Desk({ meetingId }: { meetingId: string }) {
  const [m, setM] = useState<MeetingDetailView | null>(null);
  const [rows, setRows] = useState<AttendanceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(true);

  const load = useCallback(async () => {
    try {
      const [detail, roll] = await Promise.all([Api.meeting(meetingId), Api.meetingAttendance(meetingId)]);
      setM(detail);
      setRows(roll.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [meetingId]);

  // On opening and each return to the page; then every 10 s while it is shown.
  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      if (shown.current) void load();
    }, DESK_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useDidShow(() => {
    if (!shown.current) void load();
    shown.current = true;
  });
  useDidHide(() => {
    shown.current = false;
  });

  if (!m || !rows) return error ? <Notice tone='bad' text={error} testId='desk-error' /> : <Loading />;

  const phase = meetingPhase(m);
  const merge = (after: MeetingView) => setM((cur) => (cur ? { ...cur, ...after, resolutions: cur.resolutions } : cur));
  const mergeResolution = (r: ResolutionView) =>
    setM((cur) => {
      if (!cur) return cur;
      const others = cur.resolutions.filter((x) => x.id !== r.id);
      return { ...cur, resolutions: [...others, r].sort((a, b) => a.agendaIndex - b.agendaIndex) };
    });

  return (
    <>
      <Card title={m.title} testId='desk-head'>
        <View className='tags'>
          <Tag tone={phaseTones[phase]}>{phaseLabels[phase]}</Tag>
          {m.signInOpen ? <Tag tone='ok'>正在签到</Tag> : null}
        </View>
        <P>{`${meetingWhen(m)} · ${m.place}`}</P>
        {m.status === 'cancelled' ? <Notice tone='bad' text={`这次会议已取消${m.cancelReason ? `：${m.cancelReason}` : '。'}`} testId='desk-cancelled' /> : <AttendanceBlock m={m} testId='desk-attendance' />}
        <View className='actions mtg-noprint'>
          <Btn kind='secondary' testId='desk-reload' onClick={() => void load()}>
            刷新
          </Btn>
        </View>
        <P muted>到会人数每10秒自动刷新。</P>
      </Card>
      <Notice tone='bad' text={error} testId='desk-error' />
      {m.status !== 'cancelled' && phase !== 'ended' ? <PosterCard m={m} /> : null}
      {m.status !== 'cancelled' ? (
        <Roll
          m={m}
          rows={rows}
          onSigned={(row) => {
            setRows((list) => list?.map((x) => (x.userId === row.userId ? row : x)) ?? null);
            void load();
          }}
        />
      ) : null}
      {m.status !== 'cancelled' && started(m) ? <MinutesEditor m={m} onSaved={merge} /> : null}
      {m.status !== 'cancelled' && !started(m) ? (
        <Card title='会议纪要'>
          <P muted>会议开始后可以在这里写纪要。</P>
        </Card>
      ) : null}
      {m.status !== 'cancelled' ? <Resolutions m={m} onResolution={mergeResolution} /> : null}
    </>
  );
}

export default function StaffMeetingDesk() {
  const { params } = useRouter();
  return (
    <PageShell title='议事会签到台' subtitle='签到码、到会人数、纪要和决议' className='page-staff-meeting-desk'>
      <CentreOnly>
        <Desk meetingId={params.id ?? ''} />
      </CentreOnly>
    </PageShell>
  );
}
