import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { BuildingView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Loading, Notice } from '../../components/ui';
import { Api, type GridItem, type PropertyCompany } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { messageOf } from '../../services/request';
import { AdminOnly } from '../AdminOnly';
import '../admin.scss';

const NO_COMPANY = 'none';

function BuildingItem({
  building,
  companies,
  onChanged,
}: {
  building: BuildingView;
  companies: PropertyCompany[];
  onChanged: (b: BuildingView) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [chosen, setChosen] = useState<string>(building.propertyCompanyId ?? NO_COMPANY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const company = companies.find((c) => c.id === building.propertyCompanyId);

  async function save() {
    setError(null);
    setBusy(true);
    try {
      const res = await Api.setBuildingCompany(building.id, chosen === NO_COMPANY ? null : chosen);
      setEditing(false);
      onChanged({ ...building, propertyCompanyId: res.propertyCompanyId });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item' data-testid='building'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{building.name}</Text>
          <Text className='admin-item__meta'>
            {building.unitCount}个单元 · 物业：
            {building.propertyCompanyId ? (company?.name ?? '（已不在名单中）') : '还没有指定'}
          </Text>
        </View>
        {editing ? null : (
          <Btn
            kind='secondary'
            className='admin-btn-inline'
            testId='building-edit'
            onClick={() => {
              setChosen(building.propertyCompanyId ?? NO_COMPANY);
              setEditing(true);
            }}
          >
            {building.propertyCompanyId ? '更换' : '指定'}
          </Btn>
        )}
      </View>
      {editing ? (
        <View className='admin-item__panel'>
          <ChoiceGrid
            columns={2}
            options={[...companies.map((c) => ({ value: c.id, label: c.name })), { value: NO_COMPANY, label: '暂不指定' }]}
            value={chosen}
            onChange={setChosen}
            testId='building-company'
          />
          <Notice tone='bad' text={error} />
          <View className='actions actions--row'>
            <Btn loading={busy} testId='building-save' onClick={() => void save()}>
              保存
            </Btn>
            <Btn kind='plain' onClick={() => setEditing(false)}>
              取消
            </Btn>
          </View>
        </View>
      ) : null}
    </View>
  );
}

function Buildings() {
  const [buildings, setBuildings] = useState<BuildingView[] | null>(null);
  const [companies, setCompanies] = useState<PropertyCompany[] | null>(null);
  const [grids, setGrids] = useState<GridItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([Api.buildings(), Api.propertyCompanies()])
      .then(([b, c]) => {
        setBuildings(b.items);
        setCompanies(c.items);
      })
      .catch((e: unknown) => setError(messageOf(e)));
    // Grid names only group the list; without them it is one list.
    Api.grids()
      .then((g) => setGrids(g.items))
      .catch(() => undefined);
  }, []);

  if (error) return <Notice tone='bad' text={error} />;
  if (!buildings || !companies) return <Loading />;
  if (buildings.length === 0) return <Empty text='还没有楼栋。请先在“导入房屋台账”里导入。' />;

  const groups: { title: string; items: BuildingView[] }[] = [];
  for (const b of buildings) {
    const title = grids.find((g) => g.id === b.gridId)?.name ?? '楼栋';
    let group = groups.find((g) => g.title === title);
    if (!group) groups.push((group = { title, items: [] }));
    group.items.push(b);
  }

  return (
    <>
      <Notice tone='ok' text={notice} />
      {companies.length === 0 ? (
        <Notice tone='info' text='还没有物业公司。导入房屋台账时填写“物业公司”一列，就会自动添加。' />
      ) : null}
      {groups.map((g) => (
        <Card key={g.title} title={g.title}>
          {g.items.map((b) => (
            <BuildingItem
              key={b.id}
              building={b}
              companies={companies}
              onChanged={(next) => {
                setBuildings((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null);
                const name = companies.find((c) => c.id === next.propertyCompanyId)?.name;
                toast(name ? `${next.name}的物业改为${name}` : `${next.name}暂不指定物业`, setNotice);
              }}
            />
          ))}
        </Card>
      ))}
    </>
  );
}

export default function StaffBuildings() {
  return (
    <PageShell title='楼栋物业' subtitle='居民的报修和投诉会按楼栋转给这里指定的物业公司' className='page-staff-buildings'>
      <AdminOnly>
        <Buildings />
      </AdminOnly>
    </PageShell>
  );
}
