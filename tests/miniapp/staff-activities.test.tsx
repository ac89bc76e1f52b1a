import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { activityCreateBody, addDays, handoverBody, hoursConfirmBody, reason, rewardCreateBody, toShanghaiIso } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { shanghaiDay } from './support/booking';
import { gridWorkerMe } from './support/centre';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { activity, centreStaffMe, redemption, residentMe, reward, signup, volIds } from './support/volunteer';
import { qrMatrix } from '../../miniapp/src/booking/QrCode';
import StaffActivities from '../../miniapp/src/staff/activities/index';
import StaffActivityEdit from '../../miniapp/src/staff/activity-edit/index';
import StaffAttendance from '../../miniapp/src/staff/attendance/index';
import StaffRewards from '../../miniapp/src/staff/rewards/index';
import StaffHome from '../../miniapp/src/staff/index/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const btn = { selector: '.btn__text' } as const;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

function issue(input: Record<string, unknown>, path: string): string {
  const r = activityCreateBody.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  const found = r.error.issues.find((i) => i.path.join('.') === path);
  if (!found) throw new Error(`no issue at ${path}`);
  return found.message;
}

describe('staff: 发布活动 form', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('the shared schema’s messages beside each field (times too), nothing sent; then the body in Shanghai time with a key', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'POST /api/v1/staff/activities': (c: Call) => ({ status: 201, body: activity({ ...(c.body as object), id: volIds.activity }) }),
    });
    render(<StaffActivityEdit />);
    fireEvent.click(await screen.findByText('发布活动', btn));
    const empty = { title: '', place: '', organiser: '', startAt: '', endAt: '', signupOpensAt: '', signupClosesAt: '', capacity: 20 };
    expect((await screen.findByTestId('act-type-error')).textContent).toBe(issue(empty, 'type'));
    expect(screen.getByTestId('act-title-error').textContent).toBe(issue(empty, 'title'));
    expect(screen.getByTestId('act-place-error').textContent).toBe(issue(empty, 'place'));
    expect(screen.getByTestId('act-organiser-error').textContent).toBe(issue(empty, 'organiser'));

    fireEvent.click(screen.getByTestId('act-type-choices-civilisation'));
    type('act-title-input', '文明楼道大扫除');
    type('act-place-input', '5号楼一单元');
    type('act-organiser-input', '滨河社区新时代文明实践站');
    const day = addDays(shanghaiDay(0), 3);
    type('act-date-input', day);
    type('act-start-input', '14:00');
    type('act-end-input', '13:00');
    type('act-closes-date', day);
    type('act-closes-time', '15:00');
    fireEvent.click(screen.getByText('发布活动', btn));
    const times = {
      type: 'civilisation', title: '文明楼道大扫除', place: '5号楼一单元', organiser: '滨河社区新时代文明实践站',
      startAt: `${day}T14:00:00+08:00`, endAt: `${day}T13:00:00+08:00`, signupOpensAt: `${shanghaiDay(0)}T08:00:00+08:00`, signupClosesAt: `${day}T15:00:00+08:00`, capacity: 20,
    };
    expect((await screen.findByTestId('act-end-error')).textContent).toBe(issue(times, 'endAt'));
    expect(screen.getByTestId('act-closes-error').textContent).toBe(issue(times, 'signupClosesAt'));
    type('act-min-age-input', '70');
    type('act-max-age-input', '60');
    fireEvent.click(screen.getByText('发布活动', btn));
    expect((await screen.findByTestId('act-max-age-error')).textContent).toBe(issue({ ...times, minAge: 70, maxAge: 60 }, 'maxAge'));
    expect(posts(api.calls, '/api/v1/staff/activities')).toHaveLength(0);

    type('act-end-input', '16:00');
    type('act-closes-time', '12:00');
    type('act-min-age-input', '');
    type('act-max-age-input', '');
    type('act-opens-date', shanghaiDay(0));
    type('act-opens-time', '08:00');
    type('act-capacity-input', '15');
    type('act-skills-input', '会用扫帚、 能爬楼梯');
    fireEvent.click(screen.getByText('发布活动', btn));
    expect((await screen.findByTestId('activity-saved')).textContent).toContain('“文明楼道大扫除”已发布');
    const [post] = posts(api.calls, '/api/v1/staff/activities');
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
    expect(post!.body).toEqual({
      type: 'civilisation',
      title: '文明楼道大扫除',
      description: '',
      place: '5号楼一单元',
      organiser: '滨河社区新时代文明实践站',
      startAt: `${day}T14:00:00+08:00`,
      endAt: `${day}T16:00:00+08:00`,
      signupOpensAt: `${shanghaiDay(0)}T08:00:00+08:00`,
      signupClosesAt: `${day}T12:00:00+08:00`,
      capacity: 15,
      cancelCutoffMinutes: 120,
      skills: ['会用扫帚', '能爬楼梯'],
      minAge: null,
      maxAge: null,
      pointsPerHour: 10,
      graceMinutes: 30,
    });
  });

  it('an edit starts from the activity in Shanghai time and PUTs the whole activity, its grace period kept', async () => {
    routerParams.current = { id: volIds.activity };
    const a = activity({ graceMinutes: 45 });
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      [`GET /api/v1/activities/${volIds.activity}`]: { status: 200, body: a },
      [`PUT /api/v1/staff/activities/${volIds.activity}`]: (c: Call) => ({ status: 200, body: { ...a, ...(c.body as object) } }),
    });
    render(<StaffActivityEdit />);
    expect(((await screen.findByTestId('act-title-input')) as HTMLInputElement).value).toBe('河滨公园清洁');
    expect((screen.getByTestId('act-start-input') as HTMLInputElement).value).toBe('09:00');
    expect((screen.getByTestId('act-grace-input') as HTMLInputElement).value).toBe('45');
    type('act-end-input', '11:30');
    fireEvent.click(screen.getByText('保存修改', btn));
    expect(await screen.findByTestId('activity-saved')).toBeTruthy();
    const put = api.calls.find((c) => c.method === 'PUT')!;
    expect(put.body).toMatchObject({ startAt: a.startAt, endAt: a.startAt.replace('09:00', '11:30'), capacity: 20, signupClosesAt: a.signupClosesAt, graceMinutes: 45 });
  });
});

describe('staff: 签到名单 and 确认时长', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
    routerParams.current = { id: volIds.activity };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  const out1 = signup({ id: '1'.repeat(23) + 'a', residentName: '王秀兰', status: 'checked_out', checkInAt: '2026-11-28T08:58:00+08:00', checkOutAt: '2026-11-28T11:00:00+08:00', scannedMinutes: 120 });
  const out2 = signup({ id: '1'.repeat(23) + 'b', residentName: '李建国', status: 'checked_out', scannedMinutes: 90 });
  const inOnly = signup({ id: '1'.repeat(23) + 'c', residentName: '赵磊', status: 'checked_in', checkInAt: '2026-11-28T09:05:00+08:00' });
  const done = signup({ id: '1'.repeat(23) + 'd', residentName: '陈静', status: 'checked_out', scannedMinutes: 60, confirmedMinutes: 60 });
  const waiting = signup({ id: '1'.repeat(23) + 'e', residentName: '刘桂兰', status: 'waitlisted', waitPosition: 1 });

  function routes(extra: Record<string, unknown> = {}, over: Record<string, unknown> = {}) {
    return {
      'GET /api/v1/me': centreStaffMe,
      [`GET /api/v1/activities/${volIds.activity}`]: { status: 200, body: activity(over) },
      [`GET /api/v1/staff/activities/${volIds.activity}/attendance`]: { status: 200, body: { items: [out1, out2, inOnly, done, waiting] } },
      ...extra,
    };
  }

  it('the roll with status and times; the chosen ones are confirmed in one body of signup ids', async () => {
    const api = mockApi(
      routes({
        [`POST /api/v1/staff/activities/${volIds.activity}/hours`]: (c: Call) => {
          const ids = (c.body as { items: { signupId: string }[] }).items.map((i) => i.signupId);
          return { status: 200, body: { items: [out1, out2].filter((s) => ids.includes(s.id)).map((s) => ({ ...s, confirmedMinutes: s.scannedMinutes })) } };
        },
      }),
    );
    render(<StaffAttendance />);
    const rows = await screen.findAllByTestId('attendance-row');
    expect(rows).toHaveLength(5);
    expect(rows[0]!.textContent).toContain('签到08:58');
    expect(rows[0]!.textContent).toContain('扫码2.0小时');
    expect(rows[4]!.textContent).toContain('候补第1位');
    expect(screen.getByTestId('attendance-counts').textContent).toContain('已签退3人');
    // Only checked-out, unconfirmed rows can be chosen.
    expect(screen.queryByTestId(`select-${inOnly.id}`)).toBeNull();
    expect(screen.queryByTestId(`select-${done.id}`)).toBeNull();

    fireEvent.click(screen.getByText('选中全部待确认的（2人）', btn));
    fireEvent.click(screen.getByTestId(`select-${out2.id}`));
    fireEvent.click(screen.getByText('确认时长（已选1人）', btn));
    expect((await screen.findByTestId('attendance-notice')).textContent).toContain('已确认1人的时长');
    const [post] = posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/hours`);
    expect(post!.body).toEqual({ items: [{ signupId: out1.id }] });
    expect(hoursConfirmBody.safeParse(post!.body).success).toBe(true);
    await waitFor(() => expect(screen.getAllByTestId('attendance-row')[0]!.textContent).toContain('已确认2.0小时'));
  });

  it('adjusting one needs a reason (the shared rule); then minutes and reason are sent', async () => {
    const api = mockApi(
      routes({
        [`POST /api/v1/staff/activities/${volIds.activity}/hours`]: () => ({ status: 200, body: { items: [{ ...inOnly, status: 'checked_out', confirmedMinutes: 100 }] } }),
      }),
    );
    render(<StaffAttendance />);
    fireEvent.click(await screen.findByTestId(`adjust-open-${inOnly.id}`));
    type('adjust-minutes-input', '100');
    fireEvent.click(within(screen.getByTestId('adjust-panel')).getByText('确认', btn));
    const r = hoursConfirmBody.safeParse({ items: [{ signupId: inOnly.id, minutes: 100 }] });
    expect((await screen.findByTestId('adjust-reason-error')).textContent).toBe(r.error!.issues.find((i) => i.path.join('.') === 'items.0.reason')!.message);
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/hours`)).toHaveLength(0);

    type('adjust-reason-input', '忘了签退，按活动结束时间');
    fireEvent.click(within(screen.getByTestId('adjust-panel')).getByText('确认', btn));
    expect((await screen.findByTestId('attendance-notice')).textContent).toContain('已把赵磊的时长定为1.7小时');
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/hours`)[0]!.body).toEqual({
      items: [{ signupId: inOnly.id, minutes: 100, reason: '忘了签退，按活动结束时间' }],
    });
  });

  it('标记未到场 only after the end, after asking', async () => {
    const ended = { startAt: toShanghaiIso(new Date(Date.now() - 3 * 3600_000)), endAt: toShanghaiIso(new Date(Date.now() - 3600_000)) };
    const api = mockApi(routes({ [`POST /api/v1/staff/activities/${volIds.activity}/no-shows`]: { status: 200, body: { marked: 2 } } }, ended));
    render(<StaffAttendance />);
    fireEvent.click(await screen.findByText('标记未到场', btn));
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/no-shows`)).toHaveLength(0);
    fireEvent.click(screen.getByText('确定标记', btn));
    expect((await screen.findByTestId('attendance-notice')).textContent).toBe('已把2位没有签到的人标记为未到场。');
  });

  it('before the end there is no 标记未到场', async () => {
    mockApi(routes());
    render(<StaffAttendance />);
    await screen.findAllByTestId('attendance-row');
    expect(screen.queryByText('标记未到场', btn)).toBeNull();
  });
});

describe('staff: 活动管理 list', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('签到码: none yet, so one is made: a big QR code of the scan page with its id', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/activities': { status: 200, body: { items: [activity({ seatsLeft: 2, waiting: 3 })] } },
      [`GET /api/v1/staff/activities/${volIds.activity}/poster`]: { status: 200, body: { poster: null } },
      [`POST /api/v1/staff/activities/${volIds.activity}/poster`]: { status: 200, body: { posterId: 'AbCdEfGh23', expiresAt: '2026-11-29T11:00:00+08:00', page: 'volunteer/scan/index?p=AbCdEfGh23' } },
    });
    render(<StaffActivities />);
    const row = await screen.findByTestId('staff-activity');
    expect(within(row).getByTestId('staff-activity-seats').textContent).toBe('已报名18/20人，候补3人');
    fireEvent.click(within(row).getByText('签到码', btn));
    expect(await screen.findByText('这个活动还没有有效的签到码，请生成一张。')).toBeTruthy();
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/poster`)).toHaveLength(0);
    fireEvent.click(screen.getByText('生成签到码', btn));
    expect((await screen.findByTestId('poster-id')).textContent).toBe('AbCdEfGh23');
    expect(screen.getByTestId('poster-state').textContent).toBe('新的签到码');
    const link = 'http://localhost/#/volunteer/scan/index?p=AbCdEfGh23';
    expect(screen.getByTestId('poster-qr').getAttribute('aria-label')).toContain(link);
    expect(screen.getByTestId('poster-qr').querySelectorAll('.qr__row')).toHaveLength(qrMatrix(link).length);
  });

  it('签到码: the poster in force is shown again without retiring it; a new one only on purpose, after the warning', async () => {
    const current = { posterId: 'CurrEnt234', expiresAt: '2026-11-29T11:00:00+08:00', page: 'volunteer/scan/index?p=CurrEnt234' };
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/activities': { status: 200, body: { items: [activity()] } },
      [`GET /api/v1/staff/activities/${volIds.activity}/poster`]: { status: 200, body: { poster: current } },
      [`POST /api/v1/staff/activities/${volIds.activity}/poster`]: { status: 200, body: { ...current, posterId: 'NewOne2345', page: 'volunteer/scan/index?p=NewOne2345' } },
    });
    render(<StaffActivities />);
    fireEvent.click(within(await screen.findByTestId('staff-activity')).getByText('签到码', btn));
    expect((await screen.findByTestId('poster-id')).textContent).toBe('CurrEnt234');
    expect(screen.getByTestId('poster-state').textContent).toBe('现在有效的签到码');
    expect(screen.getByTestId('poster-qr').getAttribute('aria-label')).toContain('p=CurrEnt234');
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/poster`)).toHaveLength(0);
    expect(screen.getByTestId('poster-warning').textContent).toBe('生成新的签到码后，上面这张和以前打印的就都不能用了。');
    fireEvent.click(screen.getByText('作废这张，生成新的', btn));
    await waitFor(() => expect(screen.getByTestId('poster-id').textContent).toBe('NewOne2345'));
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/poster`)).toHaveLength(1);
  });

  it('已取消: cancelled activities with when and why, and no poster, edit or cancel', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/activities': (c: Call) =>
        new URL(c.url).searchParams.get('scope') === 'cancelled'
          ? { status: 200, body: { items: [activity({ status: 'cancelled', cancelledAt: '2026-11-26T15:30:00+08:00', cancelReason: '大风预警，改期另行通知' })] } }
          : { status: 200, body: { items: [] } },
    });
    render(<StaffActivities />);
    expect(await screen.findByText('还没有要开展的活动。')).toBeTruthy();
    fireEvent.click(screen.getByTestId('staff-activity-tabs-cancelled'));
    const row = await screen.findByTestId('staff-activity');
    expect(within(row).getByTestId('staff-activity-cancelled').textContent).toBe('11月26日 15:30取消：大风预警，改期另行通知');
    expect(within(row).getByText('已取消')).toBeTruthy();
    expect(within(row).queryByText('签到码', btn)).toBeNull();
    expect(within(row).queryByText('修改', btn)).toBeNull();
    expect(within(row).queryByText('取消活动', btn)).toBeNull();
    expect(within(row).getByText('导出名单', btn)).toBeTruthy();
    expect(api.calls.filter((c) => c.path === '/api/v1/staff/activities').map((c) => new URL(c.url).searchParams.get('scope'))).toEqual(['upcoming', 'cancelled']);
  });

  it('取消活动 needs a reason; the reason is sent and the activity leaves the list', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/activities': { status: 200, body: { items: [activity()] } },
      [`POST /api/v1/staff/activities/${volIds.activity}/cancel`]: { status: 200, body: activity({ status: 'cancelled' }) },
    });
    render(<StaffActivities />);
    fireEvent.click(within(await screen.findByTestId('staff-activity')).getByText('取消活动', btn));
    fireEvent.click(screen.getByText('确定取消活动', btn));
    expect((await screen.findByTestId('cancel-reason-error')).textContent).toBe(reason('取消原因').safeParse('').error!.issues[0]!.message);
    type('cancel-reason-input', '大风预警，改期另行通知');
    fireEvent.click(screen.getByText('确定取消活动', btn));
    expect((await screen.findByTestId('staff-activities-notice')).textContent).toContain('已取消“河滨公园清洁”');
    expect(posts(api.calls, `/api/v1/staff/activities/${volIds.activity}/cancel`)[0]!.body).toEqual({ reason: '大风预警，改期另行通知' });
    expect(screen.queryByTestId('staff-activity')).toBeNull();
  });

  it('the workbench shows 志愿服务 to centre staff', async () => {
    mockApi({ 'GET /api/v1/me': centreStaffMe });
    render(<StaffHome />);
    expect(await screen.findByTestId('staff-activities')).toBeTruthy();
    expect(screen.getByTestId('staff-rewards')).toBeTruthy();
    expect(screen.getByTestId('staff-campaigns')).toBeTruthy();
  });

  it('a grid worker’s workbench has no 志愿服务 card', async () => {
    mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffHome />);
    expect(await screen.findByText('工作台')).toBeTruthy();
    await screen.findByTestId('staff-bindings');
    expect(screen.queryByTestId('staff-activities')).toBeNull();
  });

  it('a resident is told the page is not for them', async () => {
    mockApi({ 'GET /api/v1/me': residentMe });
    render(<StaffActivities />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
  });
});

describe('staff: 积分超市', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('发放 by a typed code: checked by the shared rule first, then sent upper-cased; the API’s refusal in its words', async () => {
    let handed = false;
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/rewards': { status: 200, body: { items: [reward()] } },
      'POST /api/v1/staff/rewards/handover': () => {
        if (handed) return apiError(409, 'CONFLICT', '这件物品已经领走了');
        handed = true;
        return { status: 200, body: redemption({ status: 'handed_over', handedOverAt: '2026-11-27T10:00:00+08:00' }) };
      },
    });
    render(<StaffRewards />);
    await screen.findByTestId('handover-input');
    type('handover-input', 'k7m2');
    fireEvent.click(screen.getByText('核对并发放', btn));
    expect((await screen.findByTestId('handover-code-error')).textContent).toBe(handoverBody.safeParse({ code: 'K7M2' }).error!.issues[0]!.message);
    expect(posts(api.calls, '/api/v1/staff/rewards/handover')).toHaveLength(0);

    type('handover-input', 'k7m2q9xa');
    fireEvent.click(screen.getByText('核对并发放', btn));
    expect((await screen.findByTestId('handover-done')).textContent).toContain('请把“环保布袋”交给王秀兰');
    expect(posts(api.calls, '/api/v1/staff/rewards/handover')[0]!.body).toEqual({ code: 'K7M2Q9XA' });

    type('handover-input', 'K7M2Q9XA');
    fireEvent.click(screen.getByText('核对并发放', btn));
    expect((await screen.findByTestId('handover-error')).textContent).toBe('这件物品已经领走了');
  });

  it('上架 checks the shared reward rule beside each field, then sends the body with a key', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/rewards': { status: 200, body: { items: [] } },
      'POST /api/v1/staff/rewards': (c: Call) => ({ status: 201, body: reward({ ...(c.body as object), left: 30 }) }),
    });
    render(<StaffRewards />);
    fireEvent.click(await screen.findByText('上架', btn));
    const r = rewardCreateBody.safeParse({ title: '' });
    const message = (path: string) => r.error!.issues.find((i) => i.path.join('.') === path)!.message;
    expect((await screen.findByTestId('reward-title-error')).textContent).toBe(message('title'));
    expect(screen.getByTestId('reward-price-error').textContent).toBe(message('pointsPrice'));
    expect(screen.getByTestId('reward-stock-error').textContent).toBe(message('stock'));
    type('reward-title-input', '保温杯');
    type('reward-price-input', '300');
    type('reward-stock-input', '30');
    fireEvent.click(screen.getByText('上架', btn));
    expect((await screen.findByTestId('reward-created')).textContent).toBe('已上架：保温杯，30件。');
    const [post] = posts(api.calls, '/api/v1/staff/rewards');
    expect(post!.body).toEqual({ title: '保温杯', description: '', pointsPrice: 300, stock: 30 });
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
  });

  it('下架 asks once more, then the item leaves the shelf and shows under 已下架的', async () => {
    let retired = false;
    const api = mockApi({
      'GET /api/v1/me': centreStaffMe,
      'GET /api/v1/staff/rewards': (c: Call) => {
        const status = new URL(c.url).searchParams.get('status');
        const items = status === 'retired' ? (retired ? [reward({ status: 'retired' })] : []) : retired ? [] : [reward()];
        return { status: 200, body: { items } };
      },
      [`POST /api/v1/staff/rewards/${volIds.reward}/retire`]: () => {
        retired = true;
        return { status: 200, body: reward({ status: 'retired' }) };
      },
    });
    render(<StaffRewards />);
    fireEvent.click(await screen.findByText('下架', btn));
    expect(screen.getByTestId('retire-reward-confirm').textContent).toContain('已经兑换的，仍然凭兑换码发放');
    expect(posts(api.calls, `/api/v1/staff/rewards/${volIds.reward}/retire`)).toHaveLength(0);
    fireEvent.click(screen.getByText('确定下架', btn));
    expect((await screen.findByTestId('reward-created')).textContent).toBe('已下架：环保布袋。在“已下架的”里可以看到。');
    expect(screen.queryByTestId('shelf-item')).toBeNull();
    fireEvent.click(screen.getByTestId('shelf-tabs-retired'));
    const item = await screen.findByTestId('shelf-item');
    expect(item.textContent).toContain('已下架');
    expect(item.textContent).toContain('兑出88件');
    expect(within(item).queryByText('下架', btn)).toBeNull();
  });
});
