import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { UserView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Loading, Notice, P, Row, Tag } from '../../components/ui';
import { Api, type GridItem } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { go } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { AdminOnly } from '../AdminOnly';
import { AdminRoutes } from '../routes';
import '../admin.scss';

const nameOf = (u: UserView) => u.displayName || u.nickname || '未填写姓名';

function GridCard({
  grid,
  workers,
  onChanged,
}: {
  grid: GridItem;
  workers: UserView[];
  onChanged: (grid: GridItem, user: UserView, assigned: boolean) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const inGrid = grid.workerIds.map((id) => ({ id, user: workers.find((w) => w.id === id) }));
  const available = workers.filter((w) => !grid.workerIds.includes(w.id));

  async function change(userId: string, assigned: boolean) {
    setError(null);
    setBusy(userId);
    try {
      const user = assigned ? await Api.addGridWorker(grid.id, userId) : await Api.removeGridWorker(grid.id, userId);
      onChanged(grid, user, assigned);
      if (assigned) {
        setAdding(false);
        setChosen(null);
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={grid.name} extra={<Tag tone='info'>{`${grid.workerIds.length} 位网格员`}</Tag>} className='grid-card'>
      <View data-testid={`grid-${grid.id}`}>
        {grid.code && grid.code !== grid.name ? <Text className='admin-item__meta'>编号 {grid.code}</Text> : null}
        {inGrid.length === 0 ? <P muted>这个网格还没有网格员。</P> : null}
        {inGrid.map(({ id, user }) => (
          <View key={id} className='admin-item' data-testid='grid-worker'>
            <View className='admin-item__head'>
              <View className='admin-item__main'>
                <Text className='admin-item__name'>{user ? nameOf(user) : '已不是网格员的人员'}</Text>
                {user?.phoneMasked ? <Text className='admin-item__meta'>{user.phoneMasked}</Text> : null}
              </View>
              <Btn kind='danger' className='admin-btn-inline' loading={busy === id} onClick={() => void change(id, false)}>
                移出
              </Btn>
            </View>
          </View>
        ))}
        <Notice tone='bad' text={error} />
        {adding ? (
          <View className='admin-item__panel'>
            {available.length ? (
              <ChoiceGrid
                columns={2}
                options={available.map((w) => ({
                  value: w.id,
                  label: nameOf(w),
                  hint: w.gridIds.length ? `已负责${w.gridIds.length}个网格` : '还没有网格',
                }))}
                value={chosen}
                onChange={setChosen}
              />
            ) : (
              <P muted>{workers.length ? '所有网格员都已经在这个网格里了。' : '还没有人有网格员身份。'}</P>
            )}
            <View className='actions actions--row'>
              {available.length ? (
                <Btn disabled={!chosen} loading={!!busy && busy === chosen} onClick={() => chosen && void change(chosen, true)}>
                  加入网格
                </Btn>
              ) : null}
              <Btn
                kind='plain'
                onClick={() => {
                  setAdding(false);
                  setChosen(null);
                }}
              >
                取消
              </Btn>
            </View>
          </View>
        ) : (
          <View className='actions'>
            <Btn kind='secondary' onClick={() => setAdding(true)}>
              添加网格员
            </Btn>
          </View>
        )}
      </View>
    </Card>
  );
}

function Grids() {
  const [grids, setGrids] = useState<GridItem[] | null>(null);
  const [workers, setWorkers] = useState<UserView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([Api.grids(), Api.staffUsers('grid_worker')])
      .then(([g, w]) => {
        setGrids(g.items);
        setWorkers(w.items);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);

  function changed(grid: GridItem, user: UserView, assigned: boolean) {
    setGrids(
      (list) =>
        list?.map((g) =>
          g.id !== grid.id
            ? g
            : { ...g, workerIds: assigned ? [...g.workerIds.filter((x) => x !== user.id), user.id] : g.workerIds.filter((x) => x !== user.id) },
        ) ?? null,
    );
    setWorkers((list) => list?.map((w) => (w.id === user.id ? user : w)) ?? null);
    toast(assigned ? `${nameOf(user)}已加入${grid.name}` : `${nameOf(user)}已移出${grid.name}`, setNotice);
  }

  if (error) return <Notice tone='bad' text={error} />;
  if (!grids || !workers) return <Loading />;
  return (
    <>
      <Notice tone='ok' text={notice} />
      {workers.length === 0 ? (
        <Card>
          <Notice tone='info' text='还没有人有网格员身份。请先在“人员与身份”里给工作人员加上“网格员”身份。' />
          <Row label='去人员与身份' onClick={() => go(AdminRoutes.people)} />
        </Card>
      ) : null}
      {grids.length === 0 ? <Empty text='还没有网格。导入房屋台账时会按“网格”一列自动建好。' /> : null}
      {grids.map((g) => (
        <GridCard key={g.id} grid={g} workers={workers} onChanged={changed} />
      ))}
    </>
  );
}

export default function StaffGrids() {
  return (
    <PageShell title='网格与网格员' subtitle='每个网格由哪几位网格员负责' className='page-staff-grids'>
      <AdminOnly>
        <Grids />
      </AdminOnly>
    </PageShell>
  );
}
