import { useState } from 'react';
import { Input, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { availabilityLabels, availabilitySlots, volunteerProfileBody, type FieldErrors } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Loading, Notice, P } from '../../components/ui';
import { Api, type VolunteerProfile } from '../../services/endpoints';
import { isApiError, messageOf } from '../../services/request';
import { fieldErrorsOf } from '../../services/validation';
import { ensureLoggedIn, goToLogin } from '../../store/session';
import { Chips, toggled } from '../parts';
import '../volunteer.scss';

type Slot = (typeof availabilitySlots)[number];

/** Skills organisers often ask for; anything else can be typed. */
const commonSkills = ['医疗护理', '法律咨询', '心理疏导', '文艺表演', '摄影摄像', '教手机电脑', '家电维修', '驾驶', '书法绘画', '外语'];

export default function VolunteerProfilePage() {
  const [profile, setProfile] = useState<VolunteerProfile | null | undefined>(undefined);
  const [realName, setRealName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [skills, setSkills] = useState<string[]>([]);
  const [newSkill, setNewSkill] = useState('');
  const [availability, setAvailability] = useState<Slot[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function fill(p: VolunteerProfile | null) {
    setProfile(p);
    setRealName(p?.realName ?? '');
    setSkills(p?.skills ?? []);
    setAvailability(p?.availability ?? []);
    setIdNumber('');
  }

  useDidShow(() => {
    void (async () => {
      if (!(await ensureLoggedIn())) return goToLogin();
      try {
        fill((await Api.volunteerProfile()).profile);
      } catch (e) {
        setError(messageOf(e));
        setProfile(null);
      }
    })();
  });

  function addSkill() {
    const s = newSkill.trim();
    if (!s) return;
    if (!skills.includes(s)) setSkills([...skills, s]);
    setNewSkill('');
  }

  async function save() {
    setError(null);
    setSaved(null);
    // A blank ID number keeps the one already given (the page never sees it in full).
    const parsed = volunteerProfileBody.safeParse({ realName, skills, availability, ...(idNumber.trim() ? { idNumber } : {}) });
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error.issues));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      fill(await Api.saveVolunteerProfile(parsed.data));
      setSaved('已保存。');
    } catch (e) {
      if (isApiError(e) && e.code === 'VALIDATION_FAILED') setErrors(e.fieldErrors);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  if (profile === undefined) {
    return (
      <PageShell title='志愿者资料' className='page-volunteer-profile'>
        <Loading />
      </PageShell>
    );
  }

  const skillOptions = [...commonSkills, ...skills.filter((s) => !commonSkills.includes(s))].map((s) => ({ value: s, label: s }));

  return (
    <PageShell title='志愿者资料' subtitle='组织方安排活动时会参考您的技能和空闲时间' className='page-volunteer-profile'>
      <Card title='真实姓名和身份证号'>
        <P muted>只用于开具志愿服务记录证明、核对有年龄要求的活动，其他地方只显示首尾。</P>
        <Field label='真实姓名' error={errors.realName} testId='profile-name'>
          <Input className='input' value={realName} maxlength={20} placeholder='和身份证上一样' onInput={(e) => setRealName(e.detail.value)} data-testid='profile-name-input' />
        </Field>
        <Field
          label={profile?.idNumberMasked ? '身份证号（不改就空着）' : '身份证号（可以以后再填）'}
          hint={profile?.idNumberMasked ? `已填写：${profile.idNumberMasked}` : '18位，最后一位可能是X'}
          error={errors.idNumber}
          testId='profile-id'
        >
          <Input className='input' type='idcard' value={idNumber} maxlength={18} placeholder='18位身份证号' onInput={(e) => setIdNumber(e.detail.value)} data-testid='profile-id-input' />
        </Field>
      </Card>

      <Card title='我会什么'>
        <P muted>点一下选上，再点一下取消。</P>
        <Chips options={skillOptions} values={skills} onToggle={(v) => setSkills(toggled(skills, v))} testId='profile-skills' />
        <Field label='其他技能' error={errors.skills} testId='profile-skills-field'>
          <View className='chip-add'>
            <Input className='input' value={newSkill} maxlength={20} placeholder='例如：理发' onInput={(e) => setNewSkill(e.detail.value)} onConfirm={addSkill} data-testid='profile-skill-input' />
            <Btn kind='secondary' testId='profile-skill-add' onClick={addSkill}>
              添加
            </Btn>
          </View>
        </Field>
      </Card>

      <Card title='什么时候有空'>
        <Chips
          options={availabilitySlots.map((s) => ({ value: s, label: availabilityLabels[s] }))}
          values={availability}
          onToggle={(v) => setAvailability(toggled(availability, v))}
          testId='profile-availability'
        />
      </Card>

      <Notice tone='ok' text={saved} testId='profile-saved' />
      <Notice tone='bad' text={error} testId='profile-error' />
      <Btn testId='profile-save' loading={busy} onClick={() => void save()}>
        保存
      </Btn>
    </PageShell>
  );
}
