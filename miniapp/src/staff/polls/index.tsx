import { useCallback, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { ownerMatterLabels, pollStatusLabels, type OwnerMatter, type PollView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMe } from '../../components/useMe';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Empty, Loading, Notice, P, Tag } from '../../components/ui';
import { IS_H5 } from '../../env';
import { Api } from '../../services/endpoints';
import { formatMonthDayTime } from '../../services/format';
import { go, Routes, withQuery } from '../../services/navigate';
import { isApiError, messageOf } from '../../services/request';
import { countingShort, isCentreStaff, missingRoomsOf, participationLines, PollDeskOnly, pollStatusTone } from '../pollDesk';
import '../admin.scss';
import '../poll.scss';
import { ConfirmPanel } from '../ConfirmPanel';

type Action = 'open' | 'cancel' | 'close' | 'remind' | 'export';

/** A file name WeChat and browsers both accept (a title may hold a slash or a colon). */
const fileSafe = (title: string) => title.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40);

function mattersOf(p: PollView): string {
  const matters = [...new Set(p.questions.map((q) => q.matter).filter((m): m is OwnerMatter => !!m))];
  return matters.map((m) => `第${m}项 ${ownerMatterLabels[m]}`).join('；');
}

function PollItem({ p, centre, onChanged }: { p: PollView; centre: boolean; onChanged: (p: PollView) => void }) {
  const [confirm, setConfirm] = useState<'open' | 'cancel' | 'close' | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'wait'; text: string } | null>(null);

  async function run(action: Action, fn: () => Promise<string | null>) {
    setBusy(action);
    setError(null);
    setMissing([]);
    setNotice(null);
    try {
      const text = await fn();
      setConfirm(null);
      if (text) setNotice({ tone: 'ok', text });
    } catch (e) {
      if (isApiError(e) && e.code === 'REMINDED_RECENTLY') setNotice({ tone: 'wait', text: e.message });
      else setError(messageOf(e));
      setMissing(missingRoomsOf(e));
    } finally {
      setBusy(null);
    }
  }

  const publish = () =>
    run('open', async () => {
      const opened = await Api.openPoll(p.id);
      onChanged(opened);
      const total = opened.participation?.totalHeads;
      return `已发布，名册已固定${total === undefined ? '' : `：共${total}${opened.countingUnit === 'room' ? '户' : '人'}`}。到开始时间居民就能投票，名册里的人会收到通知。`;
    });
  const cancel = () =>
    run('cancel', async () => {
      onChanged(await Api.cancelPoll(p.id));
      return '已取消这次投票。';
    });
  const close = () =>
    run('close', async () => {
      onChanged(await Api.closePoll(p.id));
      return `投票已结束。选票封存后计票，结果会公示${p.noticeDays}天。`;
    });
  const remind = () =>
    run('remind', async () => {
      const { sent } = await Api.remindNonVoters(p.id);
      return sent > 0 ? `已提醒${sent}位还没投票的居民（站内消息；同意过的还会收到微信通知）。` : '名册里的人都投过票了，没有需要提醒的。';
    });
  const exportRegister = () =>
    run('export', async () => {
      const file = await Api.exportPollRegister(p.id, fileSafe(p.title));
      return IS_H5 ? `已导出“${file.filename}”，在浏览器的下载文件夹里。` : `已打开“${file.filename}”，可以点右上角转发给同事或用其他应用打开。`;
    });

  const open = p.status === 'open';
  const closed = p.status === 'closed';
  const draft = p.status === 'draft';
  const matters = p.countingUnit === 'owner' ? mattersOf(p) : '';

  return (
    <View className='admin-item' data-testid='poll-item'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{p.title}</Text>
        </View>
        <Tag tone={pollStatusTone[p.status]}>{pollStatusLabels[p.status]}</Tag>
      </View>
      <View className='poll-meta'>
        <Text className='admin-item__meta'>{`${countingShort[p.countingUnit]} · ${p.secrecy === 'named' ? '记名' : '不记名'} · ${p.scopeLabel}`}</Text>
        <View data-testid='poll-window'>
          <Text className='admin-item__meta'>{`开始：${formatMonthDayTime(p.opensAt)}`}</Text>
          <Text className='admin-item__meta'>{`结束：${formatMonthDayTime(p.closesAt)}`}</Text>
        </View>
        {matters ? <Text className='admin-item__meta'>{`表决事项：${matters}`}</Text> : null}
        <Text className='admin-item__meta'>{`${p.questions.length}个问题 · ${p.resultVisibility === 'live' ? '结果实时公布' : '结束后公布结果'}`}</Text>
        {p.noticeUntil ? <Text className='admin-item__meta'>{`结果公示到 ${formatMonthDayTime(p.noticeUntil)}`}</Text> : null}
      </View>
      {p.participation ? (
        <View className='poll-turnout' data-testid='poll-turnout'>
          {participationLines(p).map((line) => (
            <Text key={line} className='poll-turnout__line'>
              {line}
            </Text>
          ))}
        </View>
      ) : null}
      {draft && centre ? <P muted>还没有发布，居民看不到。</P> : null}

      <Notice tone='bad' text={error} testId='poll-error' />
      {missing.length ? (
        <View className='poll-missing' data-testid='poll-missing'>
          <Text className='admin-item__meta'>{`没有业主的房屋（${missing.length}套）：${missing.join('、')}`}</Text>
        </View>
      ) : null}
      <Notice tone={notice?.tone ?? 'ok'} text={notice?.text} testId='poll-notice' />

      {confirm === 'open' ? (
        <ConfirmPanel
          testId='open-confirm'
          text='发布时按现在的房屋台账固定投票名册，之后台账再有变动也不影响这次投票。发布后不能修改、不能取消，到开始时间居民就能投票，名册里的人会收到通知。'
          confirmLabel='确定发布'
          backLabel='先不发布'
          danger={false}
          busy={busy === 'open'}
          confirmTestId='open-submit'
          rowClassName='poll-actions'
          onConfirm={() => void publish()}
          onBack={() => setConfirm(null)}
        />
      ) : null}
      {confirm === 'cancel' ? (
        <ConfirmPanel
          testId='cancel-confirm'
          text={`取消后这次投票作废，不能恢复。确定取消“${p.title}”吗？`}
          confirmLabel='确定取消'
          backLabel='不取消'
          busy={busy === 'cancel'}
          confirmTestId='cancel-submit'
          rowClassName='poll-actions'
          onConfirm={() => void cancel()}
          onBack={() => setConfirm(null)}
        />
      ) : null}
      {confirm === 'close' ? (
        <ConfirmPanel
          testId='close-confirm'
          text={`结束后居民不能再投票（纸质票也不能再登记），选票封存后计票，结果公示${p.noticeDays}天。确定现在结束吗？`}
          confirmLabel='确定结束'
          backLabel='先不结束'
          busy={busy === 'close'}
          confirmTestId='close-submit'
          rowClassName='poll-actions'
          onConfirm={() => void close()}
          onBack={() => setConfirm(null)}
        />
      ) : null}

      {confirm === null && draft && centre ? (
        <View className='actions actions--row poll-actions'>
          <Btn testId='open-open' onClick={() => setConfirm('open')}>
            发布
          </Btn>
          <Btn kind='danger' testId='cancel-open' onClick={() => setConfirm('cancel')}>
            取消
          </Btn>
        </View>
      ) : null}

      {confirm === null && open ? (
        <View className='actions actions--row poll-actions'>
          <Btn kind='secondary' testId='non-voters-open' onClick={() => go(withQuery(Routes.staffNonVoters, { id: p.id }))}>
            未投票名单
          </Btn>
          <Btn kind='secondary' testId='paper-open' onClick={() => go(withQuery(Routes.staffPaperBallot, { id: p.id }))}>
            登记纸质票
          </Btn>
        </View>
      ) : null}
      {confirm === null && open && centre ? (
        <View className='actions actions--row poll-actions'>
          <Btn kind='secondary' loading={busy === 'remind'} testId='remind' onClick={() => void remind()}>
            提醒未投票
          </Btn>
          <Btn kind='danger' testId='close-open' onClick={() => setConfirm('close')}>
            结束投票
          </Btn>
        </View>
      ) : null}
      {confirm === null && centre && (open || closed) ? (
        <View className='actions actions--row poll-actions'>
          <Btn kind='secondary' loading={busy === 'export'} testId='export' onClick={() => void exportRegister()}>
            导出表决票清册
          </Btn>
          {p.resultAvailable || closed ? (
            <Btn kind='secondary' testId='result-open' onClick={() => go(withQuery(Routes.voteResult, { id: p.id }))}>
              查看结果
            </Btn>
          ) : null}
        </View>
      ) : null}
      {confirm === null && centre && closed ? (
        <View className='actions'>
          <Btn kind='secondary' testId='objections-open' onClick={() => go(withQuery(Routes.staffObjections, { id: p.id }))}>
            异议
          </Btn>
        </View>
      ) : null}
    </View>
  );
}

function PollList() {
  const { me } = useMe();
  const centre = isCentreStaff(me);
  const [items, setItems] = useState<PollView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { items: all } = await Api.staffPolls();
      // Grid workers take part while a poll is open: paper ballots and visits to non-voters.
      setItems(centre ? all : all.filter((p) => p.status === 'open'));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [centre]);

  useMountAndShow(() => {
    void load();
  });

  return (
    <>
      {centre ? (
        <View className='poll-top'>
          <Btn testId='poll-new' onClick={() => go(Routes.staffPollNew)}>
            发起投票
          </Btn>
        </View>
      ) : (
        <Text className='p p--muted poll-intro'>进行中的投票：上门收纸质票后在这里登记，也可以看您网格里还有谁没投。</Text>
      )}
      <Notice tone='bad' text={error} testId='polls-error' />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? <Empty text={centre ? '还没有投票。点上面的“发起投票”开始。' : '现在没有进行中的投票。'} /> : null}
      {items && items.length ? (
        <View className='card poll-list' data-testid='poll-list'>
          {items.map((p) => (
            <PollItem key={p.id} p={p} centre={centre} onChanged={(c) => setItems((list) => list?.map((x) => (x.id === c.id ? c : x)) ?? null)} />
          ))}
        </View>
      ) : null}
      <Btn kind='secondary' testId='polls-reload' onClick={() => void load()}>
        刷新
      </Btn>
    </>
  );
}

export default function StaffPolls() {
  return (
    <PageShell title='投票管理' subtitle='发布、提醒、纸质票、结束和导出' className='page-staff-polls'>
      <PollDeskOnly>
        <PollList />
      </PollDeskOnly>
    </PageShell>
  );
}
