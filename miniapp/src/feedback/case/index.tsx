import { useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import {
  caseRatingBody,
  caseReopenBody,
  ratingLabels,
  ratingLevels,
  type CaseView,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Field, Loading, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDate, formatDateTime, formatMonthDayTime } from '../../services/format';
import { go, Routes } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { CasePhotos, CaseTags, caseTitle, Countdown, History, pausedText, useNow } from '../parts';
import '../feedback.scss';

function Fact({ k, v, testId }: { k: string; v: string; testId?: string }) {
  return (
    <View className='fb-fact' data-testid={testId}>
      <Text className='fb-fact__key'>{k}</Text>
      <Text className='fb-fact__value'>{v}</Text>
    </View>
  );
}

/** What the desk wrote when it said the case was handled (the latest 处理完成). */
function resolvedNote(c: CaseView): string | null {
  const last = [...c.history].reverse().find((s) => s.action === 'resolved');
  return last?.note ?? null;
}

/** Who holds it, the promise and what is happening, in plain words. */
function NowPanel({ c, now }: { c: CaseView; now: number }) {
  const open = c.status === 'submitted' || c.status === 'accepted' || c.status === 'paused';
  return (
    <Card className='card--accent' testId='case-now'>
      <CaseTags c={c} />
      {open ? (
        <>
          <Text className='fb-now__holder' data-testid='case-holder'>{`现在由 ${c.holderLabel} 处理`}</Text>
          {c.promisedBy ? (
            <View className='fb-now__promise'>
              <Text className='fb-now__label'>{`承诺 ${formatMonthDayTime(c.promisedBy)} 前处理`}</Text>
              <Countdown c={c} now={now} />
            </View>
          ) : null}
          {c.awaitingAcknowledgement ? (
            <Notice
              tone='wait'
              testId='case-awaiting'
              text={`原来的单位没有按时办好，已经上报给${c.holderLabel}。要等他们“报到”接手，接手后会重新给出承诺时间。`}
            />
          ) : null}
          {c.status === 'paused' ? (
            <>
              {pausedText(c) ? <Text className='fb-now__paused' data-testid='case-paused-until'>{pausedText(c)}</Text> : null}
              <Notice tone='wait' text='暂时停下处理了，原因见下面的记录。到了那天会自动接着处理。' />
            </>
          ) : null}
          {c.status === 'submitted' && !c.awaitingAcknowledgement ? <P muted>已经交给处理单位，等他们受理。</P> : null}
        </>
      ) : null}
      {c.status === 'resolved' && resolvedNote(c) ? (
        <Text className='fb-now__result' data-testid='case-result'>{`处理结果：${resolvedNote(c)}`}</Text>
      ) : null}
      {c.status === 'resolved' ? <P>{c.mine ? '处理的人说已经办好了，请您看看是不是真的解决了。' : '处理的人说已经办好了，等反映的居民确认。'}</P> : null}
      {c.status === 'closed' ? <P>这件事已经办结。</P> : null}
    </Card>
  );
}

/** 已解决 / 没解决 (with a reason) for the reporter of a resolved case. */
function ConfirmPanel({ c, onDone }: { c: CaseView; onDone: (c: CaseView, text: string) => void }) {
  const [mode, setMode] = useState<'idle' | 'reopen'>('idle');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(fn: () => Promise<CaseView>, text: string) {
    setBusy(true);
    setError(null);
    try {
      onDone(await fn(), text);
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function reopen() {
    const parsed = caseReopenBody.safeParse({ reason });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    void run(() => Api.reopenCase(c.id, parsed.data.reason), '已经重新打开，处理的人会接着办。');
  }

  return (
    <Card title='问题解决了吗？' testId='case-confirm'>
      <Notice tone='bad' text={error} testId='confirm-error' />
      {mode === 'idle' ? (
        <View className='actions'>
          <Btn testId='confirm-yes' loading={busy} onClick={() => void run(() => Api.confirmCase(c.id), '谢谢您确认，这件事办结了。')}>
            已解决
          </Btn>
          <Btn kind='danger' testId='confirm-no' onClick={() => setMode('reopen')}>
            没解决
          </Btn>
        </View>
      ) : (
        <View className='fb-panel' data-testid='reopen-panel'>
          <Field label='哪里还没解决？' hint='写清楚，处理的人会接着办' error={errors.reason} testId='reopen-reason'>
            <Textarea
              className='input fb-textarea'
              value={reason}
              maxlength={200}
              placeholder='例如：修过以后还是漏水'
              onInput={(e) => setReason(e.detail.value)}
              data-testid='reopen-input'
            />
          </Field>
          <View className='actions'>
            <Btn testId='reopen-submit' loading={busy} onClick={reopen}>
              重新打开
            </Btn>
            <Btn kind='plain' onClick={() => setMode('idle')}>
              先不了
            </Btn>
          </View>
        </View>
      )}
    </Card>
  );
}

/** 好差评 after closing: five big buttons, an optional comment. */
function RatePanel({ c, onDone }: { c: CaseView; onDone: (c: CaseView, text: string) => void }) {
  const [level, setLevel] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setError(null);
    const parsed = caseRatingBody.safeParse({ level: level ? Number(level) : undefined, comment });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const rated = await Api.rateCase(c.id, parsed.data.level, parsed.data.comment);
      onDone(
        rated,
        parsed.data.level <= 2 ? '谢谢您告诉我们。社区会督促整改，并回访您。' : '谢谢您的评价！',
      );
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='这次处理得怎么样？' testId='case-rate'>
      <Field label='请选一个' error={errors.level} testId='rate-level'>
        <ChoiceGrid
          testId='rate-levels'
          columns={1}
          options={ratingLevels.map((l) => ({ value: String(l), label: ratingLabels[l] ?? String(l) }))}
          value={level}
          onChange={setLevel}
        />
      </Field>
      {level && Number(level) <= 2 ? <Notice tone='info' text='很抱歉让您不满意。提交后社区会督促整改，并回访您。' /> : null}
      <Field label='想说的话（可不填）' error={errors.comment} testId='rate-comment'>
        <Textarea
          className='input fb-textarea'
          value={comment}
          maxlength={300}
          placeholder='例如：师傅来得很快'
          onInput={(e) => setComment(e.detail.value)}
          data-testid='rate-comment-input'
        />
      </Field>
      <Notice tone='bad' text={error} testId='rate-error' />
      <Btn testId='rate-submit' loading={busy} onClick={() => void submit()}>
        提交评价
      </Btn>
    </Card>
  );
}

function RatingShown({ c }: { c: CaseView }) {
  if (!c.rating) return null;
  const r = c.rectification;
  return (
    <Card title='评价和整改' testId='case-rating'>
      <P>{`${c.mine ? '您的' : ''}评价：${ratingLabels[c.rating.level] ?? c.rating.level}`}</P>
      {c.rating.comment ? <P muted>{`“${c.rating.comment}”`}</P> : null}
      {r ? (
        <Notice
          tone={r.status === 'done' ? 'ok' : 'wait'}
          testId='case-rectification'
          text={
            r.status === 'done'
              ? `整改已完成，社区已回访${r.visitNote ? `：${r.visitNote}` : '。'}`
              : `正在整改，${formatDate(`${r.dueOn}T12:00:00+08:00`)}前完成，社区工作人员会回访您。`
          }
        />
      ) : null}
    </Card>
  );
}

export default function FeedbackCase() {
  const { params } = useRouter();
  const caseId = params.id ?? '';
  const [c, setC] = useState<CaseView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const now = useNow();

  async function load() {
    try {
      setC(await Api.caseDetail(caseId));
      setLoadError(null);
    } catch (e) {
      setLoadError(messageOf(e));
    }
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      await load();
    })();
  });

  function done(next: CaseView, text: string) {
    setC(next);
    setNotice(text);
  }

  if (!c) {
    return (
      <PageShell title='问题详情' className='page-feedback-case'>
        <Notice tone='bad' text={loadError} testId='load-error' />
        {loadError ? (
          <Btn kind='secondary' onClick={() => go(Routes.feedbackMine)}>
            查看我的反映
          </Btn>
        ) : (
          <Loading />
        )}
      </PageShell>
    );
  }

  return (
    <PageShell title={caseTitle(c)} subtitle={`编号 ${c.number}`} className='page-feedback-case'>
      {/* Just reported (?new=1): said while it waits to be taken, not on later visits. */}
      <Notice tone='ok' text={notice ?? (params.new && c.mine && c.status === 'submitted' ? '已经收到您反映的问题，处理进展会发消息告诉您。' : null)} testId='case-notice' />
      <NowPanel c={c} now={now} />

      {c.mine && c.status === 'resolved' ? <ConfirmPanel c={c} onDone={done} /> : null}
      {c.mine && c.status === 'closed' && !c.rating ? <RatePanel c={c} onDone={done} /> : null}
      <RatingShown c={c} />

      <Card title='反映的内容' testId='case-content'>
        <View className='fb-facts'>
          <Fact k='位置' v={c.placeLabel} testId='case-place' />
          <Fact k='时间' v={formatDateTime(c.createdAt)} />
          <Fact k='反映人' v={c.mine ? `${c.reporterName}（我）` : c.reporterName} />
          {c.mine && c.visibility ? (
            <Fact
              k='匿名'
              v={c.visibility === 'staff_only' ? '是，只有社区工作人员知道是您（物业和邻居看到的是“匿名居民”，看不到房号）' : '否，处理的人都能看到您的名字'}
              testId='case-visibility'
            />
          ) : null}
        </View>
        <Text className='fb-case-text' data-testid='case-text'>
          {c.text}
        </Text>
        <CasePhotos urls={c.photoUrls} />
        <P muted>{c.followers ? `有${c.followers}位邻居也关注了这个问题。` : '还没有邻居关注这个问题。'}</P>
        {!c.mine && c.following ? <P muted>您关注了这个问题，有进展会发消息告诉您。</P> : null}
      </Card>

      <Card title='处理经过' testId='case-history-card'>
        <History steps={c.history} />
      </Card>

      <View className='actions'>
        <Btn kind='plain' testId='go-mine' onClick={() => go(Routes.feedbackMine)}>
          我的反映
        </Btn>
      </View>
    </PageShell>
  );
}
