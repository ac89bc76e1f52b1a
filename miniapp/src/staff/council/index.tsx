import { useCallback, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import {
  councilMemberBody,
  councilMemberTitleLabels,
  councilMemberTitles,
  type CouncilMemberTitle,
  type CouncilMemberView,
  type FieldErrors,
} from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { useMountAndShow } from '../../components/useShow';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { formatDate } from '../../services/format';
import { go, Routes } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { CentreOnly } from '../CentreOnly';
import '../admin.scss';
import '../meeting.scss';

/** Someone who can be added: a resident found by name or room, or (admins) a staff account. */
interface Candidate {
  id: string;
  name: string;
  line: string;
  suggested: CouncilMemberTitle;
}

type Source = 'resident' | 'staff';

function ResidentSearch({ onPick, taken }: { onPick: (c: Candidate) => void; taken: Set<string> }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Candidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function search() {
    setError(null);
    if (!q.trim()) {
      setError('请输入姓名或房号');
      return;
    }
    setBusy(true);
    try {
      const r = await Api.searchResidents(q.trim());
      setFound(r.items.map((x) => ({ id: x.id, name: x.name, line: x.rooms.join('、'), suggested: 'resident_rep' })));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View data-testid='resident-search'>
      <Field label='找居民' hint='输入姓名或房号，例如 王秀英 或 3-2-301'>
        <Input className='input' value={q} maxlength={20} placeholder='姓名或房号' onInput={(e) => setQ(e.detail.value)} onConfirm={() => void search()} data-testid='resident-q' />
      </Field>
      <Btn kind='secondary' loading={busy} testId='resident-search-submit' onClick={() => void search()}>
        查找
      </Btn>
      <Notice tone='bad' text={error} testId='resident-search-error' />
      {found && found.length === 0 ? <P muted>没有找到，换个字试试。只能找到已经绑定了房屋的居民。</P> : null}
      {found?.map((c) => (
        <CandidateRow key={c.id} c={c} taken={taken.has(c.id)} onPick={onPick} />
      ))}
    </View>
  );
}

function CandidateRow({ c, taken, onPick }: { c: Candidate; taken: boolean; onPick: (c: Candidate) => void }) {
  return (
    <View
      className={`tap council-pick ${taken ? 'council-pick--taken' : ''}`}
      role='button'
      aria-disabled={taken}
      data-testid={`pick-${c.id}`}
      onClick={() => {
        if (!taken) onPick(c);
      }}
    >
      <View className='admin-item__main'>
        <Text className='admin-item__name'>{c.name}</Text>
        {c.line ? <Text className='admin-item__meta'>{c.line}</Text> : null}
      </View>
      <Text className='council-pick__act'>{taken ? '已是成员' : '选他 ›'}</Text>
    </View>
  );
}

/** Desk people (centre, property, grid), by name and desk only. */
function StaffList({ onPick, taken }: { onPick: (c: Candidate) => void; taken: Set<string> }) {
  const [items, setItems] = useState<Candidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useMountAndShow(() => {
    Api.councilStaffCandidates()
      .then(({ items: found }) =>
        setItems(
          found.map((u) => ({
            id: u.userId,
            name: u.name,
            line: u.desk === 'property_staff' ? '物业人员' : u.desk === 'community_staff' ? '社区工作人员' : '网格员',
            suggested: u.desk === 'property_staff' ? 'property_rep' : 'staff',
          })),
        ),
      )
      .catch((e: unknown) => setError(messageOf(e)));
  });

  if (error) return <Notice tone='bad' text={error} />;
  if (!items) return <Loading />;
  return (
    <View data-testid='staff-candidates'>
      {items.length === 0 ? <P muted>还没有工作人员账号。</P> : null}
      {items.map((c) => (
        <CandidateRow key={c.id} c={c} taken={taken.has(c.id)} onPick={onPick} />
      ))}
    </View>
  );
}

function AddMember({ taken, onAdded, onClose }: { taken: Set<string>; onAdded: (m: CouncilMemberView) => void; onClose: () => void }) {
  const [source, setSource] = useState<Source>('resident');
  const [picked, setPicked] = useState<Candidate | null>(null);
  const [title, setTitle] = useState<CouncilMemberTitle | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add() {
    setError(null);
    const parsed = councilMemberBody.safeParse({ userId: picked?.id, title: title ?? undefined });
    if (!parsed.success) {
      const e = fieldErrorsOf(parsed.error.issues);
      if (e.userId) e.userId = ['请先选一个人'];
      setErrors(e);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onAdded(await Api.addCouncilMember(parsed.data));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function pick(c: Candidate) {
    setPicked(c);
    setTitle((t) => t ?? c.suggested);
    setErrors({});
    setError(null);
  }

  return (
    <Card title='添加成员' testId='council-add'>
      {picked ? (
        <>
          <View className='council-picked' data-testid='council-picked'>
            <Text className='admin-item__name'>{picked.name}</Text>
            {picked.line ? <Text className='admin-item__meta'>{picked.line}</Text> : null}
          </View>
          <Btn kind='plain' testId='council-repick' onClick={() => setPicked(null)}>
            换一个人
          </Btn>
          <Field label='成员身份' error={errors.title} testId='council-title'>
            <ChoiceGrid
              columns={2}
              testId='council-title-choices'
              options={councilMemberTitles.map((t) => ({ value: t, label: councilMemberTitleLabels[t] }))}
              value={title}
              onChange={setTitle}
            />
          </Field>
          <Notice tone='bad' text={error} testId='council-add-error' />
          <View className='actions'>
            <Btn loading={busy} testId='council-add-submit' onClick={() => void add()}>
              {`把${picked.name}加入议事会`}
            </Btn>
            <Btn kind='plain' onClick={onClose}>
              不加了
            </Btn>
          </View>
        </>
      ) : (
        <>
          <ChoiceGrid
              columns={2}
              testId='council-source'
              options={[
                { value: 'resident', label: '居民' },
                { value: 'staff', label: '工作人员' },
              ]}
              value={source}
              onChange={setSource}
            />
          <View className='mtg-gap'>{source === 'resident' ? <ResidentSearch onPick={pick} taken={taken} /> : <StaffList onPick={pick} taken={taken} />}</View>
          {errors.userId ? <Notice tone='bad' text={errors.userId[0]} /> : null}
          <View className='actions'>
            <Btn kind='plain' onClick={onClose}>
              收起
            </Btn>
          </View>
        </>
      )}
    </Card>
  );
}

function MemberRow({ m, onRemoved }: { m: CouncilMemberView; onRemoved: (m: CouncilMemberView) => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await Api.removeCouncilMember(m.userId);
      onRemoved(m);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='council-member' data-user={m.userId}>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{m.name}</Text>
          <Text className='admin-item__meta'>{`${formatDate(m.joinedAt)}加入`}</Text>
        </View>
        <Tag tone='info'>{councilMemberTitleLabels[m.title]}</Tag>
      </View>
      <Notice tone='bad' text={error} testId='council-remove-error' />
      {asking ? (
        <View className='admin-item__panel' data-testid='council-remove-panel'>
          <P>{`确定把${m.name}移出议事会吗？以后召开的会议不再算他应到；开过的会议不变。`}</P>
          <View className='actions actions--row'>
            <Btn kind='danger' loading={busy} testId='council-remove-confirm' onClick={() => void remove()}>
              确定移出
            </Btn>
            <Btn kind='plain' onClick={() => setAsking(false)}>
              不移出
            </Btn>
          </View>
        </View>
      ) : (
        <View className='actions'>
          <Btn kind='plain' testId={`council-remove-${m.userId}`} onClick={() => setAsking(true)}>
            移出议事会
          </Btn>
        </View>
      )}
    </View>
  );
}

function Council() {
  const [items, setItems] = useState<CouncilMemberView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems((await Api.councilMembers()).items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useMountAndShow(() => {
    void load();
  });

  const taken = new Set((items ?? []).map((m) => m.userId));
  return (
    <>
      <P muted>议事会成员扫码签到，算作到会；到会过半数才能表决。召开会议时的成员人数就是那次会议的应到人数。</P>
      <Notice tone='ok' text={notice} testId='council-notice' />
      <Notice tone='bad' text={error} testId='council-error' />
      {adding ? (
        <AddMember
          taken={taken}
          onClose={() => setAdding(false)}
          onAdded={(m) => {
            setItems((list) => [...(list ?? []), m]);
            setAdding(false);
            setNotice(`已把${m.name}加入议事会（${councilMemberTitleLabels[m.title]}）。`);
          }}
        />
      ) : (
        <View className='actions'>
          <Btn testId='council-add-open' onClick={() => { setAdding(true); setNotice(null); }}>
            添加成员
          </Btn>
        </View>
      )}
      {items === null && !error ? <Loading /> : null}
      {items ? (
        <Card title={`现在的成员（${items.length}人）`} testId='council-list'>
          {items.length === 0 ? <Empty text='议事会还没有成员，请先添加。' /> : null}
          {items.map((m) => (
            <MemberRow
              key={m.userId}
              m={m}
              onRemoved={(gone) => {
                setItems((list) => list?.filter((x) => x.userId !== gone.userId) ?? null);
                setNotice(`已把${gone.name}移出议事会。`);
              }}
            />
          ))}
        </Card>
      ) : null}
      <View className='actions'>
        <Btn kind='secondary' onClick={() => go(Routes.staffMeetings)}>
          去召开议事会
        </Btn>
      </View>
    </>
  );
}

export default function StaffCouncil() {
  return (
    <PageShell title='议事会成员' subtitle='谁是议事会成员，以什么身份' className='page-staff-council'>
      <CentreOnly>
        <Council />
      </CentreOnly>
    </PageShell>
  );
}
