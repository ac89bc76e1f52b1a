import { useCallback, useEffect, useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { roleLabels, roles, staffUserCreateBody, type FieldErrors, type Role, type UserView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, ChoiceGrid, Empty, Field, Loading, Notice, P, Tag } from '../../components/ui';
import { Api, type PropertyCompany } from '../../services/endpoints';
import { toast } from '../../services/feedback';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { loadMe, useSession } from '../../store/session';
import { AdminOnly } from '../AdminOnly';
import { derivedRoles, grantableRoles, roleOptions } from '../roles';
import { toggled, Toggles } from '../Toggles';
import '../admin.scss';

type Filter = Role | 'all';
const NO_COMPANY = 'none';

const filterOptions: { value: Filter; label: string }[] = [
  { value: 'all', label: '全部' },
  ...roles.map((r) => ({ value: r, label: roleLabels[r] })),
];

const nameOf = (u: UserView) => u.displayName || u.nickname || '未填写姓名';

function NewStaffAccount({ onCreated }: { onCreated: (u: UserView) => void }) {
  const [open, setOpen] = useState(false);
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [chosen, setChosen] = useState<Role[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function reset() {
    setDisplayName('');
    setUsername('');
    setPassword('');
    setChosen([]);
    setErrors({});
    setError(null);
  }

  async function submit() {
    setError(null);
    const parsed = staffUserCreateBody.safeParse({ username, password, displayName, roles: chosen });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await Api.createStaffUser(parsed.data);
      reset();
      setOpen(false);
      onCreated(created);
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <Card>
        <Btn kind='secondary' testId='new-staff-open' onClick={() => setOpen(true)}>
          新建工作人员账号
        </Btn>
      </Card>
    );
  }
  return (
    <Card title='新建工作人员账号' className='new-staff'>
      <P muted>工作人员在电脑上用用户名和密码登录。建好后请把用户名和初始密码当面告诉本人。</P>
      <Field label='姓名' error={errors.displayName} testId='new-staff-name'>
        <Input
          className='input'
          value={displayName}
          maxlength={20}
          placeholder='例如：李明'
          onInput={(e) => setDisplayName(e.detail.value)}
          data-testid='new-staff-name-input'
        />
      </Field>
      <Field label='用户名' hint='3到32位字母、数字或 _ . -' error={errors.username} testId='new-staff-username'>
        <Input
          className='input'
          value={username}
          maxlength={32}
          placeholder='例如：li.ming'
          onInput={(e) => setUsername(e.detail.value)}
          data-testid='new-staff-username-input'
        />
      </Field>
      <Field label='初始密码' hint='至少10位，要同时有字母和数字' error={errors.password} testId='new-staff-password'>
        <Input
          className='input'
          value={password}
          password
          maxlength={128}
          placeholder='请输入初始密码'
          onInput={(e) => setPassword(e.detail.value)}
          data-testid='new-staff-password-input'
        />
      </Field>
      <Field label='身份（可多选）' error={errors.roles} testId='new-staff-roles'>
        <Toggles
          options={roleOptions(grantableRoles)}
          values={chosen}
          onToggle={(r) => setChosen((list) => toggled(list, r))}
          testId='new-staff-role'
        />
      </Field>
      <Notice tone='bad' text={error} testId='new-staff-error' />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='new-staff-submit' onClick={() => void submit()}>
          建好账号
        </Btn>
        <Btn
          kind='plain'
          onClick={() => {
            reset();
            setOpen(false);
          }}
        >
          取消
        </Btn>
      </View>
    </Card>
  );
}

function RoleEditor({ user, onSaved, onCancel }: { user: UserView; onSaved: (u: UserView) => void; onCancel: () => void }) {
  const [chosen, setChosen] = useState<Role[]>(user.roles.filter((r) => grantableRoles.includes(r)));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fixed = user.roles.filter((r) => derivedRoles.includes(r));

  async function save() {
    setError(null);
    setBusy(true);
    try {
      onSaved(await Api.setUserRoles(user.id, chosen));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='admin-item__panel' data-testid='role-editor'>
      <Toggles
        options={roleOptions(grantableRoles)}
        values={chosen}
        onToggle={(r) => setChosen((list) => toggled(list, r))}
        testId='role'
      />
      <P muted>
        {fixed.length
          ? `${fixed.map((r) => roleLabels[r]).join('、')}身份来自房屋绑定，这里不能修改。`
          : '居民、业主身份来自房屋绑定，不在这里设置。'}
      </P>
      <Notice tone='bad' text={error} testId='role-error' />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='role-save' onClick={() => void save()}>
          保存身份
        </Btn>
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function CompanyEditor({
  user,
  companies,
  onSaved,
  onCancel,
}: {
  user: UserView;
  companies: PropertyCompany[] | string | null;
  onSaved: (u: UserView) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState<string>(user.propertyCompanyId ?? NO_COMPANY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setError(null);
    setBusy(true);
    try {
      onSaved(await Api.setUserCompany(user.id, chosen === NO_COMPANY ? null : chosen));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (!companies) return <Loading />;
  // The list could not be loaded: say so instead of offering nothing.
  if (typeof companies === 'string') {
    return (
      <View className='admin-item__panel'>
        <Notice tone='bad' text={companies} />
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    );
  }
  return (
    <View className='admin-item__panel' data-testid='company-editor'>
      {companies.length === 0 ? <P muted>还没有物业公司。导入房屋台账时填写“物业公司”一列，就会自动添加。</P> : null}
      <ChoiceGrid
        columns={2}
        options={[...companies.map((c) => ({ value: c.id, label: c.name })), { value: NO_COMPANY, label: '暂不指定' }]}
        value={chosen}
        onChange={setChosen}
        testId='company-choices'
      />
      <Notice tone='bad' text={error} />
      <View className='actions actions--row'>
        <Btn loading={busy} testId='company-save' onClick={() => void save()}>
          保存
        </Btn>
        <Btn kind='plain' onClick={onCancel}>
          取消
        </Btn>
      </View>
    </View>
  );
}

function Person({
  user,
  companies,
  onChanged,
}: {
  user: UserView;
  companies: PropertyCompany[] | string | null;
  onChanged: (u: UserView, text: string) => void;
}) {
  const [editing, setEditing] = useState<'roles' | 'company' | null>(null);
  const isProperty = user.roles.includes('property_staff');
  const company = Array.isArray(companies) ? companies.find((c) => c.id === user.propertyCompanyId) : undefined;
  const companyName = !user.propertyCompanyId
    ? '还没有指定'
    : (company?.name ?? (Array.isArray(companies) ? '（已不在名单中）' : '…'));
  const meta = [user.kind === 'staff' ? '工作人员账号' : '微信用户', user.phoneMasked].filter(Boolean).join(' · ');

  return (
    <View className='admin-item' data-testid='person'>
      <View className='admin-item__head'>
        <View className='admin-item__main'>
          <Text className='admin-item__name'>{nameOf(user)}</Text>
          <Text className='admin-item__meta'>{meta}</Text>
        </View>
        {editing === 'roles' ? null : (
          <Btn kind='secondary' className='admin-btn-inline' testId='edit-roles' onClick={() => setEditing('roles')}>
            修改身份
          </Btn>
        )}
      </View>
      <View className='tags'>
        {user.roles.length ? (
          user.roles.map((r) => (
            <Tag key={r} tone={derivedRoles.includes(r) ? 'ok' : 'info'}>
              {roleLabels[r]}
            </Tag>
          ))
        ) : (
          <Tag tone='wait'>还没有身份</Tag>
        )}
      </View>
      {editing === 'roles' ? (
        <RoleEditor
          user={user}
          onCancel={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            onChanged(u, `已保存${nameOf(u)}的身份`);
          }}
        />
      ) : null}
      {isProperty ? (
        <View className='admin-item__head admin-item__sub'>
          <Text className='admin-item__meta'>物业公司：{companyName}</Text>
          {editing === 'company' ? null : (
            <Btn kind='secondary' className='admin-btn-inline' testId='edit-company' onClick={() => setEditing('company')}>
              {user.propertyCompanyId ? '更换' : '指定'}
            </Btn>
          )}
        </View>
      ) : null}
      {editing === 'company' ? (
        <CompanyEditor
          user={user}
          companies={companies}
          onCancel={() => setEditing(null)}
          onSaved={(u) => {
            setEditing(null);
            onChanged(u, `已更新${nameOf(u)}的物业公司`);
          }}
        />
      ) : null}
    </View>
  );
}

function People() {
  const { me } = useSession();
  const [filter, setFilter] = useState<Filter>('all');
  const [items, setItems] = useState<UserView[] | null>(null);
  /** The property companies, or the message saying why they could not be loaded. */
  const [companies, setCompanies] = useState<PropertyCompany[] | string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async (f: Filter) => {
    try {
      const page = await Api.staffUsers(f === 'all' ? null : f);
      setItems(page.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    setItems(null);
    void load(filter);
  }, [filter, load]);

  useEffect(() => {
    Api.propertyCompanies()
      .then((r) => setCompanies(r.items))
      .catch((e: unknown) => setCompanies(messageOf(e)));
  }, []);

  function changed(u: UserView, text: string) {
    setItems((list) => list?.map((x) => (x.id === u.id ? u : x)) ?? null);
    // One's own roles decide what the workbench shows.
    if (me && u.id === me.id) void loadMe();
    toast(text, setNotice);
  }

  return (
    <>
      <NewStaffAccount
        onCreated={(u) => {
          setItems((list) => (list ? [u, ...list.filter((x) => x.id !== u.id)] : [u]));
          toast(`已为${nameOf(u)}建好账号`, setNotice);
        }}
      />
      <Card title='按身份查看'>
        <ChoiceGrid options={filterOptions} value={filter} onChange={setFilter} columns={2} testId='people-filter' />
      </Card>
      <Notice tone='ok' text={notice} />
      <Notice tone='bad' text={error} />
      {items === null && !error ? <Loading /> : null}
      {items && items.length === 0 ? (
        <Empty text={filter === 'all' ? '还没有人员。' : `还没有${roleLabels[filter]}。`} />
      ) : null}
      {items && items.length ? (
        <Card>
          <View data-testid='people-list'>
            {items.map((u) => (
              <Person key={u.id} user={u} companies={companies} onChanged={changed} />
            ))}
          </View>
          {items.length >= 50 ? <P muted>只显示前50位，可以按身份筛选。</P> : null}
        </Card>
      ) : null}
    </>
  );
}

export default function StaffPeople() {
  return (
    <PageShell title='人员与身份' subtitle='工作人员账号、身份和所属物业公司' className='page-staff-people'>
      <AdminOnly>
        <People />
      </AdminOnly>
    </PageShell>
  );
}
