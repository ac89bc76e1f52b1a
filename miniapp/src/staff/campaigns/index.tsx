import { useRef, useState, type ReactNode } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { addDays, campaignCreateBody, campaignStageLabels, nomineeKindLabels, reason, type CampaignView, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, FieldError, Loading, Notice, P, Tag, type Tone } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDate, formatMonthDayTime, shanghaiToday } from '../../services/format';
import { newIdempotencyKey } from '../../services/idempotency';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import { toggled, Toggles } from '../Toggles';
import '../admin.scss';
import '../volunteer.scss';

type Nomination = CampaignView['nominations'][number];

const rejectNote = reason('不通过的原因');
const answerText = reason('答复');

const nominationTone: Record<Nomination['status'], { label: string; tone: Tone }> = {
  submitted: { label: '待审核', tone: 'wait' },
  accepted: { label: '已通过', tone: 'ok' },
  rejected: { label: '未通过', tone: 'bad' },
};

const decisions = [
  { value: 'vote' as const, label: '居民投票', hint: '每人一票，不记名' },
  { value: 'panel' as const, label: '评审小组评定', hint: '公示后由评审选出' },
];

const instant = (date: string, time: string) => `${date.trim()}T${time.trim()}:00+08:00`;

function NewCampaign({ onCreated, onClose }: { onCreated: (c: CampaignView) => void; onClose: () => void }) {
  const today = shanghaiToday();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categories, setCategories] = useState('');
  const [untilDate, setUntilDate] = useState(addDays(today, 14));
  const [untilTime, setUntilTime] = useState('18:00');
  const [noticeDays, setNoticeDays] = useState('7');
  const [decision, setDecision] = useState<'vote' | 'panel' | null>(null);
  const [winners, setWinners] = useState('3');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef<string | null>(null);
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));

  async function submit() {
    setError(null);
    const parsed = campaignCreateBody.safeParse({
      title,
      description,
      categories: categories
        .split(/[、,，;；\n]+/)
        .map((x) => x.trim())
        .filter(Boolean),
      nominateUntil: instant(untilDate, untilTime),
      noticeDays: num(noticeDays),
      decision: decision ?? undefined,
      winnersPerCategory: num(winners),
    });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      setError('还有内容没有填好，请看红字提示');
      return;
    }
    setErrors({});
    key.current ??= newIdempotencyKey();
    setBusy(true);
    try {
      const c = await Api.createCampaign(parsed.data, key.current);
      key.current = null;
      onCreated(c);
    } catch (e) {
      const status = isApiError(e) ? e.status : 0;
      if (!(status === 0 || status >= 500)) key.current = null;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title='发起评选' testId='new-campaign'>
      <Field label='评选名称' error={errors.title} testId='camp-title'>
        <Input className='input' value={title} maxlength={40} placeholder='例如：2026年度道德模范评选' onInput={(e) => setTitle(e.detail.value)} data-testid='camp-title-input' />
      </Field>
      <Field label='说明（可不填）' error={errors.description}>
        <Textarea className='input textarea' value={description} maxlength={2000} placeholder='评什么、谁可以推荐、怎么评' onInput={(e) => setDescription(e.detail.value)} data-testid='camp-description-input' />
      </Field>
      <Field label='评选类别' hint='几类用顿号隔开，例如：道德模范、文明家庭、最美志愿者' error={errors.categories ?? Object.entries(errors).find(([k]) => k.startsWith('categories.'))?.[1]} testId='camp-categories'>
        <Input className='input' value={categories} maxlength={140} placeholder='道德模范、文明家庭' onInput={(e) => setCategories(e.detail.value)} data-testid='camp-categories-input' />
      </Field>
      <Field label='推荐截止' hint='日期和时间，例如 2026-12-20 和 18:00' error={errors.nominateUntil} testId='camp-until'>
        <View className='vol-datetime'>
          <View className='vol-datetime__date'>
            <Input className='input' value={untilDate} maxlength={10} placeholder='2026-12-20' onInput={(e) => setUntilDate(e.detail.value)} data-testid='camp-until-date' />
          </View>
          <View className='vol-datetime__time'>
            <Input className='input' value={untilTime} maxlength={5} placeholder='18:00' onInput={(e) => setUntilTime(e.detail.value)} data-testid='camp-until-time' />
          </View>
        </View>
      </Field>
      <Field label='公示几天' hint='至少7天' error={errors.noticeDays} testId='camp-notice-days'>
        <Input className='input' type='number' value={noticeDays} onInput={(e) => setNoticeDays(e.detail.value)} data-testid='camp-notice-days-input' />
      </Field>
      <Field label='怎么评' error={errors.decision} testId='camp-decision'>
        <ChoiceGrid options={decisions} value={decision} onChange={setDecision} testId='camp-decisions' />
      </Field>
      <Field label='每类评出几位' error={errors.winnersPerCategory} testId='camp-winners'>
        <Input className='input' type='number' value={winners} onInput={(e) => setWinners(e.detail.value)} data-testid='camp-winners-input' />
      </Field>
      <Notice tone='bad' text={error} testId='camp-error' />
      <View className='actions actions--row'>
        <Btn testId='camp-submit' loading={busy} onClick={() => void submit()}>
          发起
        </Btn>
        <Btn kind='plain' onClick={onClose}>
          取消
        </Btn>
      </View>
    </Card>
  );
}

/** 通过 / 不通过 (with a reason) while nominations are being reviewed. */
function Review({ n, onDone }: { n: Nomination; onDone: (c: CampaignView) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(accept: boolean) {
    setError(null);
    let text: string | undefined;
    if (!accept) {
      const parsed = rejectNote.safeParse(note);
      if (!parsed.success) {
        setNoteError(parsed.error.issues.map((i) => i.message));
        return;
      }
      text = parsed.data;
    }
    setNoteError(undefined);
    setBusy(true);
    try {
      onDone(await Api.reviewNomination(n.id, accept, text));
      setRejecting(false);
      setNote('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {rejecting ? (
        <View className='admin-item__panel' data-testid='reject-panel'>
          <Text className='field__label'>不通过的原因（推荐人能看到）</Text>
          <Input className='input' value={note} maxlength={200} placeholder='例如：事迹不在本社区，请补充材料' onInput={(e) => setNote(e.detail.value)} data-testid='reject-note-input' />
          <FieldError messages={noteError} testId='reject-note-error' />
          <View className='actions actions--row'>
            <Btn kind='danger' loading={busy} testId='reject-submit' onClick={() => void send(false)}>
              确定不通过
            </Btn>
            <Btn kind='plain' onClick={() => setRejecting(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : (
        <View className='actions actions--row'>
          {n.status !== 'accepted' ? (
            <Btn loading={busy} testId={`accept-${n.id}`} onClick={() => void send(true)}>
              通过
            </Btn>
          ) : null}
          {n.status !== 'rejected' ? (
            <Btn kind='danger' testId={`reject-${n.id}`} onClick={() => setRejecting(true)}>
              不通过
            </Btn>
          ) : null}
        </View>
      )}
      <Notice tone='bad' text={error} />
    </>
  );
}

function Answer({ objectionId, onDone }: { objectionId: string; onDone: () => void }) {
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string[] | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setError(null);
    const parsed = answerText.safeParse(text);
    if (!parsed.success) {
      setFieldError(parsed.error.issues.map((i) => i.message));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      await Api.answerCampaignObjection(objectionId, parsed.data);
      onDone();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View data-testid='answer-form'>
      <Input className='input' value={text} maxlength={200} placeholder='核实后的答复，提意见的人会收到' onInput={(e) => setText(e.detail.value)} data-testid='answer-input' />
      <FieldError messages={fieldError} testId='answer-error' />
      <Notice tone='bad' text={error} />
      <View className='actions'>
        <Btn kind='secondary' loading={busy} testId='answer-submit' onClick={() => void submit()}>
          答复
        </Btn>
      </View>
    </View>
  );
}

function NomineeBlock({ n, children }: { n: Nomination; children?: ReactNode }) {
  return (
    <View className='camp-nominee' data-testid='staff-nominee'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{n.nomineeName}</Text>
          <Text className='admin-item__meta'>{`${n.category} · ${nomineeKindLabels[n.kind]}${n.photoUrls.length ? ` · ${n.photoUrls.length}张照片` : ''}`}</Text>
        </View>
        <Tag tone={nominationTone[n.status].tone}>{nominationTone[n.status].label}</Tag>
      </View>
      <P>{n.reason}</P>
      {n.reviewNote ? <Text className='admin-item__meta'>{`审核意见：${n.reviewNote}`}</Text> : null}
      {children}
    </View>
  );
}

function Manage({ c, onChanged, reload }: { c: CampaignView; onChanged: (c: CampaignView, text?: string) => void; reload: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [closeDate, setCloseDate] = useState(addDays(shanghaiToday(), 7));
  const [closeTime, setCloseTime] = useState('18:00');
  const [closeError, setCloseError] = useState<string[] | undefined>();
  const [winners, setWinners] = useState<string[]>([]);

  async function step(run: () => Promise<CampaignView>, text: string) {
    setBusy(true);
    setError(null);
    try {
      onChanged(await run(), text);
      setAsking(false);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function startVote() {
    const closesAt = instant(closeDate, closeTime);
    if (Number.isNaN(Date.parse(closesAt)) || Date.parse(closesAt) <= Date.now()) {
      setCloseError(['请填写投票结束的日期和时间，要晚于现在']);
      return;
    }
    setCloseError(undefined);
    void step(() => Api.decideCampaign(c.id, closesAt), '投票已开始，居民在评选页面就能投票。');
  }

  const accepted = c.nominations.filter((n) => n.status === 'accepted');
  const submitted = c.nominations.filter((n) => n.status === 'submitted');
  const reviewing = c.stage === 'nominating' || c.stage === 'reviewing';
  const unanswered = c.nominations.flatMap((n) => n.objections).filter((o) => o.answer === null).length;
  const noticeOver = !!c.noticeUntil && Date.now() >= Date.parse(c.noticeUntil);

  return (
    <View data-testid='campaign-manage'>
      {reviewing ? (
        <>
          <P muted>{`推荐${formatMonthDayTime(c.nominateUntil)}截止。共${c.nominations.length}条推荐，待审核${submitted.length}条，已通过${accepted.length}条。`}</P>
          {c.nominations.length === 0 ? <Empty text='还没有人推荐。' /> : null}
          {c.nominations.map((n) => (
            <NomineeBlock key={n.id} n={n}>
              <Review n={n} onDone={(next) => onChanged(next)} />
            </NomineeBlock>
          ))}
          {asking ? (
            <View className='admin-item__panel' data-testid='notice-confirm'>
              <P>{`公示审核通过的${accepted.length}位候选，公示${c.noticeDays}天。开始公示后不能再改审核结果。`}</P>
              <View className='actions actions--row'>
                <Btn loading={busy} testId='notice-submit' onClick={() => void step(() => Api.startCampaignNotice(c.id), '已开始公示，居民可以看到名单并提出意见。')}>
                  开始公示
                </Btn>
                <Btn kind='plain' onClick={() => setAsking(false)}>
                  取消
                </Btn>
              </View>
            </View>
          ) : (
            <View className='actions'>
              <Btn testId='notice-open' onClick={() => setAsking(true)}>
                开始公示
              </Btn>
            </View>
          )}
        </>
      ) : null}

      {c.stage === 'notice' ? (
        <>
          <P>{c.noticeUntil ? `公示到${formatMonthDayTime(c.noticeUntil)}。${unanswered ? `还有${unanswered}条意见没有答复。` : '意见都已答复。'}` : ''}</P>
          {accepted.map((n) => (
            <NomineeBlock key={n.id} n={n}>
              {n.objections.map((o) => (
                <View key={o.id} className='camp-objection' data-testid='staff-objection'>
                  <Text className='admin-item__meta'>{`意见：${o.text}`}</Text>
                  {o.answer ? <Text className='admin-item__meta'>{`答复：${o.answer}`}</Text> : <Answer objectionId={o.id} onDone={reload} />}
                </View>
              ))}
            </NomineeBlock>
          ))}
          {noticeOver ? null : <P muted>公示期满、意见都答复后，才能进入下一步。</P>}
          {c.decision === 'vote' ? (
            <View className='admin-item__panel'>
              <Field label='投票到什么时候结束' hint='日期和时间，例如 2026-12-30 和 18:00' error={closeError} testId='close-at'>
                <View className='vol-datetime'>
                  <View className='vol-datetime__date'>
                    <Input className='input' value={closeDate} maxlength={10} onInput={(e) => setCloseDate(e.detail.value)} data-testid='close-date' />
                  </View>
                  <View className='vol-datetime__time'>
                    <Input className='input' value={closeTime} maxlength={5} onInput={(e) => setCloseTime(e.detail.value)} data-testid='close-time' />
                  </View>
                </View>
              </Field>
              <Btn loading={busy} testId='decide-vote' onClick={startVote}>
                开始投票
              </Btn>
            </View>
          ) : (
            <View className='actions'>
              <Btn loading={busy} testId='decide-panel' onClick={() => void step(() => Api.decideCampaign(c.id), '已交评审小组评定。')}>
                交评审小组评定
              </Btn>
            </View>
          )}
        </>
      ) : null}

      {c.stage === 'voting' ? (
        <>
          <P>居民正在投票。投票结束、结果公布后，就可以按得票公布光荣榜。</P>
          <Btn loading={busy} testId='publish-vote' onClick={() => void step(() => Api.publishCampaign(c.id), '光荣榜已公布。')}>
            按得票公布结果
          </Btn>
        </>
      ) : null}

      {c.stage === 'appraisal' ? (
        <>
          <P>{`请按评审结果选出入选的候选（每类不超过${c.winnersPerCategory}位），再公布。`}</P>
          {c.categories.map((cat) => {
            const list = accepted.filter((n) => n.category === cat);
            if (!list.length) return null;
            return (
              <Field key={cat} label={cat}>
                <Toggles options={list.map((n) => ({ value: n.id, label: n.nomineeName }))} values={winners} onToggle={(v) => setWinners(toggled(winners, v))} testId={`winners-${cat}`} />
              </Field>
            );
          })}
          <Btn loading={busy} testId='publish-panel' disabled={winners.length === 0} onClick={() => void step(() => Api.publishCampaign(c.id, winners), '光荣榜已公布。')}>
            {`公布结果（已选${winners.length}位）`}
          </Btn>
        </>
      ) : null}

      {c.stage === 'published' ? (
        <>
          <P>{`${c.publishedAt ? formatDate(c.publishedAt) : ''}已公布光荣榜：`}</P>
          {c.honourRoll.map((h) => (
            <Text key={h.nominationId} className='admin-line' data-testid='staff-honour'>{`${h.category}：${h.nomineeName}`}</Text>
          ))}
        </>
      ) : null}

      <Notice tone='bad' text={error} testId='manage-error' />
    </View>
  );
}

function Campaigns() {
  const { params } = useRouter();
  const [items, setItems] = useState<CampaignView[] | null>(null);
  const [open, setOpen] = useState<string | null>(params.id ?? null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function load() {
    try {
      setItems((await Api.campaigns()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useMountAndShow(() => {
    void load();
  });

  function changed(c: CampaignView, text?: string) {
    setItems((list) => list?.map((x) => (x.id === c.id ? c : x)) ?? null);
    setNotice(text ?? null);
  }

  return (
    <>
      {creating ? (
        <NewCampaign
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setItems((list) => [c, ...(list ?? [])]);
            setOpen(c.id);
            setNotice(`已发起“${c.title}”，居民现在就可以推荐。`);
          }}
        />
      ) : (
        <View className='admin-tabs'>
          <Btn testId='campaign-new' onClick={() => setCreating(true)}>
            发起新的评选
          </Btn>
        </View>
      )}
      <Notice tone='ok' text={notice} testId='campaigns-notice' />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text='还没有评选活动。' /> : null}
      {items?.map((c) => (
        <Card key={c.id} testId='staff-campaign'>
          <View className='tap admin-item__head' role='button' data-testid={`campaign-open-${c.id}`} onClick={() => setOpen(open === c.id ? null : c.id)}>
            <View className='admin-item__main'>
              <Text className='admin-item__name'>{c.title}</Text>
              <Text className='admin-item__meta'>{`${c.categories.join('、')} · ${c.decision === 'vote' ? '居民投票' : '评审小组评定'}`}</Text>
              <Text className='admin-item__meta'>{open === c.id ? '点这里收起' : '点这里管理 ›'}</Text>
            </View>
            <Tag tone='info'>{campaignStageLabels[c.stage]}</Tag>
          </View>
          {open === c.id ? <Manage c={c} onChanged={changed} reload={() => void load()} /> : null}
        </Card>
      ))}
    </>
  );
}

export default function StaffCampaigns() {
  return (
    <PageShell title='评选活动' subtitle='道德模范、文明家庭：审核推荐、公示、投票或评审、公布' className='page-staff-campaigns'>
      <CentreOnly>
        <Campaigns />
      </CentreOnly>
    </PageShell>
  );
}
