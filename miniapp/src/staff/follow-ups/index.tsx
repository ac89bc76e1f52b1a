import { useCallback, useEffect, useState } from 'react';
import { Text, Textarea, View } from '@tarojs/components';
import { closeBookingBody, ratingLabels } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, Tag } from '../../components/ui';
import { Api, type FollowUpStatus, type FollowUpView } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { formatDateTime } from '../../services/format';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';

const tabs: { value: FollowUpStatus; label: string }[] = [
  { value: 'open', label: '待回访' },
  { value: 'done', label: '已回访' },
];

const emptyText: Record<FollowUpStatus, string> = {
  open: '没有要回访的评价。居民评了“不满意”或“非常不满意”，会出现在这里。',
  done: '还没有回访过的评价。',
};

const who = (f: FollowUpView) => f.residentName ?? '居民';

/** The API checks the note with the shared closeBookingBody, whose messages speak of 办结说明. */
const inOurWords = (messages: string[] | undefined) => messages?.map((m) => m.replace('办结说明', '回访结果'));

function FollowUpItem({ f, onResolved }: { f: FollowUpView; onResolved: (f: FollowUpView, note: string) => void }) {
  const [writing, setWriting] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function resolve() {
    const parsed = closeBookingBody.safeParse({ note });
    if (!parsed.success) {
      setNoteError(inOurWords(fieldErrorsOf(parsed.error.issues).note));
      return;
    }
    setNoteError(undefined);
    setBusy(true);
    setError(null);
    try {
      await Api.resolveFollowUp(f.id, parsed.data.note);
      onResolved(f, parsed.data.note);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='follow-up-item'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{f.serviceName || '服务事项'}</Text>
          <Text className='admin-item__meta'>{`居民：${who(f)}`}</Text>
          {f.startAt ? <Text className='admin-item__meta'>{`预约时间：${formatDateTime(f.startAt)}`}</Text> : null}
        </View>
        <Tag tone='bad'>{ratingLabels[f.level] ?? `${f.level}分`}</Tag>
      </View>
      <View className='admin-item__sub'>
        <Text className='admin-item__meta'>{f.comment ? `居民留言：${f.comment}` : '居民没有留言。'}</Text>
        {f.resolution ? <Text className='admin-item__meta'>{`回访结果：${f.resolution}`}</Text> : null}
      </View>
      <Notice tone='bad' text={error} />

      {f.status === 'open' && !writing ? (
        <View className='actions'>
          <Btn testId='resolve-open' onClick={() => setWriting(true)}>
            写回访结果
          </Btn>
        </View>
      ) : null}
      {writing ? (
        <View className='admin-item__panel' data-testid='resolve-panel'>
          <Field label='回访结果（居民会收到）' hint='先给居民打个电话，问清楚哪里不满意，再写下怎么处理的。这段话会作为服务中心的回复发给居民。'>
            <Textarea
              className='input textarea'
              value={note}
              maxlength={200}
              placeholder='例如：已电话致歉，下次到窗口可优先办理'
              onInput={(e) => setNote(e.detail.value)}
              data-testid='resolve-input'
            />
          </Field>
          <FieldError messages={noteError} testId='resolve-error' />
          <View className='actions actions--row'>
            <Btn loading={busy} testId='resolve-submit' onClick={() => void resolve()}>
              发给居民
            </Btn>
            <Btn kind='plain' onClick={() => setWriting(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}
    </View>
  );
}

function FollowUpList() {
  const [status, setStatus] = useState<FollowUpStatus>('open');
  const [items, setItems] = useState<FollowUpView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (s: FollowUpStatus) => {
    try {
      setItems((await Api.followUps(s)).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setItems(null);
    setNotice(null);
    void load(status);
  }, [status, load]);

  useMountAndShow(() => {
    if (items !== null) void load(status);
  });

  return (
    <>
      <View className='admin-tabs'>
        <ChoiceGrid options={tabs} value={status} onChange={setStatus} columns={2} testId='follow-up-tabs' />
      </View>
      <Notice tone='ok' text={notice} testId='follow-up-notice' />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={emptyText[status]} /> : null}
      {items && items.length ? (
        <View className='card' data-testid='follow-up-list'>
          {status === 'open' ? <P muted>每条不满意的评价都请回访一次，回访结果会发给居民。</P> : null}
          {items.map((f) => (
            <FollowUpItem
              key={f.id}
              f={f}
              onResolved={(done) => {
                // Now 已回访: it leaves this list.
                setItems((list) => list?.filter((x) => x.id !== done.id) ?? null);
                toast(`已回复${who(done)}，记在“已回访”里`, setNotice);
              }}
            />
          ))}
        </View>
      ) : null}
    </>
  );
}

export default function StaffFollowUps() {
  return (
    <PageShell title='差评跟进' subtitle='回访不满意的居民，把处理结果告诉他们' className='page-staff-follow-ups'>
      <CentreOnly>
        <FollowUpList />
      </CentreOnly>
    </PageShell>
  );
}
