import { useCallback, useEffect, useRef, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { formatArea, pollStatusLabels, type PollView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMe } from '../../components/useMe';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, type Choice } from '../../components/ui';
import { Api, type GridItem, type NonVoters } from '../../services/endpoints';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { byGridName, isCentreStaff, PollDeskOnly, unitWord } from '../pollDesk';
import '../admin.scss';
import '../poll.scss';

const PAGE = 50;

/** The grids one may filter by: any for centre staff, their own for a grid worker ('' = all of them). */
function gridChoices(grids: GridItem[], centre: boolean, mine: string[]): Choice<string>[] {
  if (centre) return [{ value: '', label: '全部网格' }, ...grids.map((g) => ({ value: g.id, label: g.name }))];
  const own = grids.filter((g) => mine.includes(g.id));
  return own.length > 1 ? [{ value: '', label: '我的全部网格' }, ...own.map((g) => ({ value: g.id, label: g.name }))] : [];
}

function NonVoterList({ pollId, initialGrid }: { pollId: string; initialGrid: string }) {
  const { me } = useMe();
  const centre = isCentreStaff(me);
  const [poll, setPoll] = useState<PollView | null>(null);
  const [grids, setGrids] = useState<GridItem[]>([]);
  const [gridId, setGridId] = useState(initialGrid);
  const [data, setData] = useState<NonVoters | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [shown, setShown] = useState(PAGE);
  const started = useRef(false);

  const load = useCallback(
    async (grid: string) => {
      try {
        const result = await Api.nonVoters(pollId, grid || undefined);
        setData(result);
        setError(null);
      } catch (e) {
        setData(null);
        setError(messageOf(e));
      }
    },
    [pollId],
  );

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    Api.poll(pollId)
      .then(setPoll)
      .catch((e: unknown) => setPollError(messageOf(e)));
    Api.grids()
      .then((r) => setGrids(byGridName(r.items)))
      .catch(() => setGrids([]));
  }, [pollId]);

  // Back from entering a paper ballot: the list as it is now.
  useMountAndShow(() => {
    void load(gridId);
  });

  function pickGrid(g: string) {
    setGridId(g);
    setShown(PAGE);
    setData(null);
    void load(g);
  }

  const choices = gridChoices(grids, centre, me?.gridIds ?? []);
  const ownNames = grids.filter((g) => me?.gridIds.includes(g.id)).map((g) => g.name);
  const word = poll ? unitWord[poll.countingUnit] : '户';
  const owner = poll?.countingUnit === 'owner';
  const open = poll?.status === 'open';
  const q = search.trim();
  const matches = data ? (q ? data.items.filter((i) => i.label.includes(q) || i.holder.includes(q)) : data.items) : [];

  return (
    <>
      <Notice tone='bad' text={pollError} testId='poll-load-error' />
      {poll ? (
        <Card title={poll.title}>
          <P muted>{`${pollStatusLabels[poll.status]} · ${poll.scopeLabel}`}</P>
          {!open ? <P muted>投票不在进行中，不能再登记纸质票。</P> : null}
        </Card>
      ) : null}

      {choices.length ? (
        <View className='admin-tabs'>
          <ChoiceGrid columns={choices.length > 3 ? 2 : (choices.length as 1 | 2 | 3)} options={choices} value={gridId} onChange={pickGrid} testId='grid-filter' />
        </View>
      ) : !centre && ownNames.length === 1 ? (
        <P muted>{`您负责的网格：${ownNames[0]}`}</P>
      ) : null}

      <Notice tone='bad' text={error} testId='non-voters-error' />
      {error && gridId && !centre ? (
        <Btn kind='secondary' testId='non-voters-mine' onClick={() => pickGrid('')}>
          看我负责的网格
        </Btn>
      ) : null}
      {data === null && !error ? <Loading /> : null}
      {data ? (
        <Card testId='non-voters'>
          <View className='poll-counts' data-testid='non-voter-counts'>
            {[
              ['已投', data.voted],
              ['还没投', data.total - data.voted],
              ['名册共', data.total],
            ].map(([label, n]) => (
              <View key={label} className='poll-count'>
                <Text className='poll-count__value'>
                  {n}
                  <Text className='poll-count__unit'>{word}</Text>
                </Text>
                <Text className='poll-count__label'>{label}</Text>
              </View>
            ))}
          </View>
          {data.items.length ? (
            <View className='admin-item__sub'>
              <Field label='找房屋或姓名'>
                <Input
                  className='input'
                  value={search}
                  placeholder='例如 1号楼 或 502'
                  onInput={(e) => {
                    setSearch(e.detail.value);
                    setShown(PAGE);
                  }}
                  data-testid='non-voter-search'
                />
              </Field>
            </View>
          ) : null}
          {data.items.length === 0 ? <Empty text='都投过票了。' /> : null}
          {data.items.length > 0 && matches.length === 0 ? <Empty text='没有找到，换个写法试试。' /> : null}
          {matches.slice(0, shown).map((item) => (
            <View key={item.unitKey} className='admin-item' data-testid='non-voter'>
              <View className='admin-item__head'>
                <View className='admin-item__main'>
                  <Text className='admin-item__name'>{item.label}</Text>
                  {item.holder ? <Text className='admin-item__meta'>{`${owner ? '业主' : '住户'}：${item.holder}`}</Text> : null}
                  {item.gridNames.length ? <Text className='admin-item__meta'>{item.gridNames.join('、')}</Text> : null}
                  {owner ? <Text className='admin-item__meta'>{`专有面积 ${formatArea(item.areaCenti)}`}</Text> : null}
                </View>
              </View>
              {open ? (
                <View className='actions'>
                  <Btn kind='secondary' testId='non-voter-paper' onClick={() => go(withQuery(Routes.staffPaperBallot, { id: pollId, unit: item.unitKey }))}>
                    登记纸质票
                  </Btn>
                </View>
              ) : null}
            </View>
          ))}
          {matches.length > shown ? (
            <View className='actions'>
              <Btn kind='secondary' testId='non-voters-more' onClick={() => setShown((n) => n + PAGE)}>
                {`再显示${Math.min(PAGE, matches.length - shown)}个（还有${matches.length - shown}个）`}
              </Btn>
            </View>
          ) : null}
        </Card>
      ) : null}
      <Btn kind='secondary' testId='non-voters-reload' onClick={() => void load(gridId)}>
        刷新
      </Btn>
    </>
  );
}

export default function StaffNonVoters() {
  const { params } = useRouter();
  const pollId = params.id ?? '';
  return (
    <PageShell title='未投票名单' subtitle='还没投票的，可以上门收纸质票' className='page-staff-non-voters'>
      <PollDeskOnly>
        {pollId ? <NonVoterList pollId={pollId} initialGrid={params.grid ?? ''} /> : <Notice tone='bad' text='没有指定投票，请从投票管理进入。' />}
      </PollDeskOnly>
    </PageShell>
  );
}
