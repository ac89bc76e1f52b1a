import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { addDays, pollCreateBody } from '@community/shared';
import { apiError, mockApi, tokens, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { shanghaiDay } from './support/booking';
import { captureSaves, mockApiWithDownloads } from './support/download';
import { buildings, centreMe, closedPoll, draftPoll, grids, gridWorkerMe, ownerPoll, pollIds, propertyMe, roomPoll } from './support/polls';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import StaffPolls from '../../miniapp/src/staff/polls/index';
import StaffPollNew from '../../miniapp/src/staff/poll-new/index';
import StaffHome from '../../miniapp/src/staff/index/index';

const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });
/** What a text box shows (Taro's H5 Input may wrap the real <input>). */
const valueOf = (testId: string) => {
  const el = screen.getByTestId(testId);
  return ((el.tagName === 'INPUT' ? el : el.querySelector('input')) as HTMLInputElement).value;
};
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const item = (title: string) => screen.getAllByTestId('poll-item').find((el) => el.textContent!.includes(title))!;
const buttons = (el: HTMLElement) => Array.from(el.querySelectorAll('.btn')).map((b) => b.textContent);

/** The shared schema's message for a path, so the page is checked against the rule itself. */
function issue(input: unknown, path: string): string {
  const r = pollCreateBody.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  const found = r.error.issues.find((i) => i.path.join('.') === path);
  if (!found) throw new Error(`no issue at ${path}: ${JSON.stringify(r.error.issues.map((i) => i.path.join('.')))}`);
  return found.message;
}

const all = [ownerPoll(), roomPoll(), draftPoll(), closedPoll()];

/** A body the schema accepts, for finding the message one change brings (refinements run on whole bodies only). */
const valid = {
  title: '选聘新的物业服务企业',
  questions: [{ title: '是否同意选聘金城物业', kind: 'yesno', matter: 4 }],
  opensAt: '2026-12-01T08:00:00+08:00',
  closesAt: '2026-12-08T20:00:00+08:00',
  countingUnit: 'owner',
  secrecy: 'named',
  scope: { kind: 'community' },
};

describe('staff: 投票管理 list', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('centre staff see every poll with its status, window and turnout (area and the 2/3 marks for owner votes)', async () => {
    mockApi({ 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/polls': { status: 200, body: { items: all } } });
    render(<StaffPolls />);
    await screen.findAllByTestId('poll-item');
    expect(screen.getAllByTestId('poll-item')).toHaveLength(4);

    const owner = item('1号楼加装电梯');
    expect(within(owner).getByText('投票中')).toBeTruthy();
    expect(owner.textContent).toContain('业主表决 · 记名 · 1号楼');
    expect(owner.textContent).toContain('表决事项：第7项 改建、重建建筑物及其附属设施');
    expect(within(owner).getByTestId('poll-window').textContent).toMatch(/^开始：.*08:00结束：.*20:00$/);
    const turnout = within(owner).getByTestId('poll-turnout').textContent!;
    expect(turnout).toContain('已投 12 / 48 人（25%）');
    expect(turnout).toContain('专有面积 1080.00 ㎡ / 4320.00 ㎡（25%）');
    // 48 × 2/3 = 32 owners, 4320 ㎡ × 2/3 = 2880 ㎡.
    expect(turnout).toContain('参与表决需达到 32 人、2880.00 ㎡');

    const room = item('社区文化节活动项目');
    expect(room.textContent).toContain('按户计票 · 不记名 · 全社区');
    expect(within(room).getByTestId('poll-turnout').textContent).toBe('已投 120 / 600 户（20%）');
    expect(within(room).getByTestId('poll-turnout').textContent).not.toContain('面积');

    expect(within(item('选聘新的物业服务企业')).getByText('未开始')).toBeTruthy();
    expect(within(item('选聘新的物业服务企业')).queryByTestId('poll-turnout')).toBeNull();
    expect(within(item('儿童游乐区改造方案')).getByText('已结束')).toBeTruthy();
    expect(item('儿童游乐区改造方案').textContent).toContain('结果公示到');
  });

  it('centre staff get the actions each status allows', async () => {
    mockApi({ 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/polls': { status: 200, body: { items: all } } });
    render(<StaffPolls />);
    await screen.findAllByTestId('poll-item');
    expect(screen.getByTestId('poll-new').textContent).toBe('发起投票');
    expect(buttons(item('选聘新的物业服务企业'))).toEqual(['发布', '取消']);
    // Results after close: no 查看结果 while open.
    expect(buttons(item('1号楼加装电梯'))).toEqual(['未投票名单', '登记纸质票', '提醒未投票', '结束投票', '导出表决票清册']);
    expect(buttons(item('社区文化节活动项目'))).toEqual(['未投票名单', '登记纸质票', '提醒未投票', '结束投票', '导出表决票清册', '查看结果']);
    expect(buttons(item('儿童游乐区改造方案'))).toEqual(['导出表决票清册', '查看结果', '异议']);

    fireEvent.click(within(item('儿童游乐区改造方案')).getByText('查看结果'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/vote/result/index?id=${pollIds.closed}` });
    fireEvent.click(within(item('儿童游乐区改造方案')).getByText('异议'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/staff/objections/index?id=${pollIds.closed}` });
    fireEvent.click(within(item('1号楼加装电梯')).getByText('未投票名单'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/staff/non-voters/index?id=${pollIds.owner}` });
    fireEvent.click(within(item('1号楼加装电梯')).getByText('登记纸质票'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/staff/paper-ballot/index?id=${pollIds.owner}` });
    fireEvent.click(screen.getByTestId('poll-new'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/staff/poll-new/index' });
  });

  it('a grid worker sees the open polls only, with 未投票名单 and 登记纸质票 alone', async () => {
    mockApi({ 'GET /api/v1/me': gridWorkerMe, 'GET /api/v1/staff/polls': { status: 200, body: { items: all } } });
    render(<StaffPolls />);
    await screen.findAllByTestId('poll-item');
    expect(screen.getAllByTestId('poll-item').map((el) => el.querySelector('.admin-item__name')!.textContent)).toEqual(['1号楼加装电梯', '社区文化节活动项目']);
    for (const el of screen.getAllByTestId('poll-item')) expect(buttons(el)).toEqual(['未投票名单', '登记纸质票']);
    expect(screen.queryByTestId('poll-new')).toBeNull();
  });

  it('property staff are told the page is not theirs, and nothing is fetched', async () => {
    const api = mockApi({ 'GET /api/v1/me': propertyMe });
    render(<StaffPolls />);
    expect(await screen.findByText('这一页是社区工作人员和网格员管理投票用的，您没有权限查看。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });

  it('发布 explains that the roll is fixed first; POLL_ROLL_INCOMPLETE shows the API’s words and the rooms', async () => {
    const message = '这些房屋在台账里没有业主：1号楼 1单元 101、1号楼 1单元 102等5套。请先补全房屋台账再发布业主表决';
    const rooms = ['1号楼 1单元 101', '1号楼 1单元 102', '1号楼 1单元 201', '1号楼 1单元 202', '1号楼 2单元 101'];
    let refuse = true;
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/polls': { status: 200, body: { items: [draftPoll()] } },
      [`POST /api/v1/staff/polls/${pollIds.draft}/open`]: () =>
        refuse
          ? apiError(422, 'POLL_ROLL_INCOMPLETE', message, { rooms })
          : { status: 200, body: draftPoll({ status: 'open', participation: { heads: 0, totalHeads: 48, area: 0, totalArea: 432000 } }) },
    });
    render(<StaffPolls />);
    fireEvent.click(await screen.findByTestId('open-open'));
    expect(posts(api.calls)).toHaveLength(0);
    expect(screen.getByTestId('open-confirm').textContent).toContain('按现在的房屋台账固定投票名册');

    fireEvent.click(screen.getByTestId('open-submit'));
    expect((await screen.findByTestId('poll-error')).textContent).toBe(message);
    expect(screen.getByTestId('poll-missing').textContent).toContain(`没有业主的房屋（5套）：${rooms.join('、')}`);
    expect(within(item('选聘新的物业服务企业')).getByText('未开始')).toBeTruthy();

    refuse = false;
    fireEvent.click(screen.getByTestId('open-submit'));
    expect((await screen.findByTestId('poll-notice')).textContent).toContain('已发布，名册已固定：共48人');
    expect(within(item('选聘新的物业服务企业')).getByText('投票中')).toBeTruthy();
    expect(screen.queryByTestId('poll-missing')).toBeNull();
    expect(posts(api.calls).map((c) => c.path)).toEqual([`/api/v1/staff/polls/${pollIds.draft}/open`, `/api/v1/staff/polls/${pollIds.draft}/open`]);
  });

  it('取消 a draft asks first, inline', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/polls': { status: 200, body: { items: [draftPoll()] } },
      [`POST /api/v1/staff/polls/${pollIds.draft}/cancel`]: { status: 200, body: draftPoll({ status: 'cancelled' }) },
    });
    render(<StaffPolls />);
    fireEvent.click(await screen.findByTestId('cancel-open'));
    expect(screen.getByTestId('cancel-confirm').textContent).toContain('不能恢复');
    expect(posts(api.calls)).toHaveLength(0);
    fireEvent.click(screen.getByTestId('cancel-submit'));
    await waitFor(() => expect(within(item('选聘新的物业服务企业')).getByText('已取消')).toBeTruthy());
    expect(buttons(item('选聘新的物业服务企业'))).toEqual([]);
  });

  it('结束投票 confirms inline first, then closes', async () => {
    const api = mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/polls': { status: 200, body: { items: [roomPoll()] } },
      [`POST /api/v1/staff/polls/${pollIds.room}/close`]: { status: 200, body: roomPoll({ status: 'closed' }) },
    });
    render(<StaffPolls />);
    fireEvent.click(await screen.findByTestId('close-open'));
    expect(screen.getByTestId('close-confirm').textContent).toContain('结束后居民不能再投票');
    expect(posts(api.calls)).toHaveLength(0);
    fireEvent.click(screen.getByText('先不结束'));
    expect(screen.queryByTestId('close-confirm')).toBeNull();
    expect(posts(api.calls)).toHaveLength(0);

    fireEvent.click(screen.getByTestId('close-open'));
    fireEvent.click(screen.getByTestId('close-submit'));
    await waitFor(() => expect(within(item('社区文化节活动项目')).getByText('已结束')).toBeTruthy());
    expect(posts(api.calls).map((c) => c.path)).toEqual([`/api/v1/staff/polls/${pollIds.room}/close`]);
    expect(screen.getByTestId('poll-notice').textContent).toContain('结果会公示7天');
  });

  it('提醒未投票 says how many were reminded; a second try the same day shows REMINDED_RECENTLY', async () => {
    let reminded = false;
    mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/polls': { status: 200, body: { items: [roomPoll()] } },
      [`POST /api/v1/staff/polls/${pollIds.room}/remind`]: () => {
        if (reminded) return apiError(429, 'REMINDED_RECENTLY', '今天已经提醒过了，明天再提醒吧');
        reminded = true;
        return { status: 200, body: { sent: 480 } };
      },
    });
    render(<StaffPolls />);
    fireEvent.click(await screen.findByTestId('remind'));
    expect((await screen.findByTestId('poll-notice')).textContent).toContain('已提醒480位还没投票的居民');
    fireEvent.click(screen.getByTestId('remind'));
    await waitFor(() => expect(screen.getByTestId('poll-notice').textContent).toBe('今天已经提醒过了，明天再提醒吧'));
  });

  it('导出表决票清册 downloads the register with the poll’s title in the file name', async () => {
    const saves = captureSaves();
    try {
      const api = mockApiWithDownloads(
        { 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/polls': { status: 200, body: { items: [ownerPoll({ title: '1号楼 加装/电梯' })] } }, 'POST /api/v1/auth/refresh': { status: 200, body: tokens('new') } },
        { [`GET /api/v1/staff/polls/${pollIds.owner}/export`]: () => ({ bytes: new Uint8Array([0x50, 0x4b, 3, 4, 9]) }) },
      );
      render(<StaffPolls />);
      fireEvent.click(await screen.findByTestId('export'));
      expect((await screen.findByTestId('poll-notice')).textContent).toContain('已导出“表决票清册_1号楼_加装_电梯.xlsx”');
      expect(api.calls.filter((c) => c.path.endsWith('/export'))[0]!.headers.Authorization).toBe('Bearer access-staff');
      expect(saves.saved).toEqual([{ filename: '表决票清册_1号楼_加装_电梯.xlsx', href: 'blob:http://localhost/1', size: 5 }]);
    } finally {
      saves.restore();
    }
  });
});

describe('staff: 发起投票', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  function stack(over: Record<string, Parameters<typeof mockApi>[0][string]> = {}) {
    return mockApi({
      'GET /api/v1/me': centreMe,
      'GET /api/v1/staff/grids': grids,
      'GET /api/v1/spaces/buildings': buildings,
      'POST /api/v1/staff/polls': (c: Call) => ({ status: 201, body: draftPoll({ title: (c.body as { title: string }).title }) }),
      ...over,
    });
  }

  it('an empty form shows the shared schema’s messages beside the fields and sends nothing', async () => {
    const api = stack();
    render(<StaffPollNew />);
    fireEvent.click(await screen.findByTestId('poll-save'));
    expect((await screen.findByTestId('poll-title-error')).textContent).toBe(issue({ title: '' }, 'title'));
    expect(screen.getByTestId('poll-counting-field-error').textContent).toBe(issue({}, 'countingUnit'));
    expect(screen.getByTestId('q0-title-error').textContent).toBe(issue({ questions: [{ title: '', kind: 'single', options: [] }] }, 'questions.0.title'));
    expect(screen.getByTestId('q0-options-error').textContent).toBe('至少要有2个选项');
    expect(screen.getByTestId('poll-form-error').textContent).toBe('还有内容没有填好，请看红字提示');
    expect(posts(api.calls)).toHaveLength(0);
  });

  it('业主表决 forces 记名 and a notice of 7 days, says why, asks for each question’s matter; closing before opening is refused', async () => {
    const api = stack();
    render(<StaffPollNew />);
    await screen.findByTestId('poll-save');
    type('poll-title-input', '选聘新的物业服务企业');
    type('poll-notice-input', '3');
    expect(valueOf('poll-notice-input')).toBe('3');
    expect(screen.getByTestId('poll-secrecy-choices-secret').getAttribute('aria-checked')).toBe('true');

    fireEvent.click(screen.getByTestId('poll-counting-choices-owner'));
    expect(screen.getByTestId('poll-secrecy-choices-named').getAttribute('aria-checked')).toBe('true');
    expect(valueOf('poll-notice-input')).toBe('7');
    expect(screen.getByTestId('owner-rule').textContent).toContain('业主表决一般记名、结果至少公示7天');
    // Owner questions are yes / no / abstain: no kind picker, the nine matters instead.
    expect(screen.queryByTestId('q0-kind-choices')).toBeNull();
    expect(within(screen.getByTestId('q0-matter-choices')).getAllByRole('radio')).toHaveLength(9);

    // Switching to 不记名 by hand is allowed (changed for ballot secrecy: a secret owner vote is possible),
    // and its result can then only come after the close.
    fireEvent.click(screen.getByTestId('poll-secrecy-choices-secret'));
    expect(screen.getByTestId('poll-visibility-secret').textContent).toContain('不记名投票在结束后才公布结果');
    expect(screen.queryByTestId('poll-visibility-choices-live')).toBeNull();
    type('q0-title-input', '是否同意选聘金城物业');
    type('opens-date', shanghaiDay(2));
    type('closes-date', shanghaiDay(1));
    fireEvent.click(screen.getByTestId('poll-save'));

    expect((await screen.findByTestId('q0-matter-error')).textContent).toBe(issue({ ...valid, questions: [{ title: '是否同意选聘金城物业', kind: 'yesno' }] }, 'questions.0.matter'));
    expect(screen.getByTestId('closes-error').textContent).toBe(
      issue({ ...valid, opensAt: `${shanghaiDay(2)}T08:00:00+08:00`, closesAt: `${shanghaiDay(1)}T20:00:00+08:00` }, 'closesAt'),
    );
    expect(screen.getByTestId('closes-error').textContent).toBe('结束时间要晚于开始时间');
    expect(posts(api.calls)).toHaveLength(0);

    // Fixed: 记名, matter 4, closing a week after opening.
    fireEvent.click(screen.getByTestId('poll-secrecy-choices-named'));
    fireEvent.click(screen.getByTestId('q0-matter-choices-4'));
    type('closes-date', addDays(shanghaiDay(2), 7));
    fireEvent.click(screen.getByTestId('poll-scope-choices-buildings'));
    fireEvent.click(await screen.findByTestId(`poll-buildings-${pollIds.building1}`));
    fireEvent.click(screen.getByTestId('poll-save'));
    expect(await screen.findByTestId('poll-created')).toBeTruthy();
    const post = posts(api.calls)[0]!;
    expect(post.path).toBe('/api/v1/staff/polls');
    expect(post.headers['Idempotency-Key']).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(post.body).toEqual({
      title: '选聘新的物业服务企业',
      description: '',
      questions: [{ title: '是否同意选聘金城物业', kind: 'yesno', options: [], minPicks: 1, maxPicks: 1, matter: 4 }],
      opensAt: `${shanghaiDay(2)}T08:00:00+08:00`,
      closesAt: `${addDays(shanghaiDay(2), 7)}T20:00:00+08:00`,
      countingUnit: 'owner',
      secrecy: 'named',
      resultVisibility: 'after_close',
      scope: { kind: 'buildings', ids: [pollIds.building1] },
      noticeDays: 7,
    });
  });

  it('a household vote with a multiple-choice question and two grids: the body sent, blank option lines left out', async () => {
    const api = stack();
    render(<StaffPollNew />);
    await screen.findByTestId('poll-save');
    type('poll-title-input', '社区文化节活动项目');
    type('poll-description-input', '每户最多选两项。');
    fireEvent.click(screen.getByTestId('poll-counting-choices-room'));
    type('q0-title-input', '您家最想参加哪些活动');
    fireEvent.click(screen.getByTestId('q0-kind-choices-multiple'));
    type('q0-option-0', '广场舞比赛');
    type('q0-option-1', '趣味运动会');
    fireEvent.click(screen.getByTestId('q0-option-add'));
    fireEvent.click(screen.getByTestId('q0-option-add'));
    type('q0-option-2', '书画展');
    type('q0-max-input', '5');
    // 实时公布 is for named polls only: choosing it, then 不记名, falls back to 结束后公布.
    fireEvent.click(screen.getByTestId('poll-secrecy-choices-named'));
    fireEvent.click(screen.getByTestId('poll-visibility-choices-live'));
    fireEvent.click(screen.getByTestId('poll-secrecy-choices-secret'));
    expect(screen.getByTestId('poll-visibility-secret')).toBeTruthy();
    fireEvent.click(screen.getByTestId('opens-days-' + addDays(shanghaiDay(0), 1)));
    fireEvent.click(screen.getByTestId('closes-days-' + addDays(shanghaiDay(0), 15)));
    fireEvent.click(screen.getByTestId('poll-scope-choices-grids'));
    fireEvent.click(screen.getByTestId('poll-save'));
    // More picks than options, and no grid chosen yet.
    expect((await screen.findByTestId('q0-max-error')).textContent).toBe('最多选择数不能超过选项数');
    expect(screen.getByTestId('poll-scope-error').textContent).toBe('请至少选择一个网格');
    expect(posts(api.calls)).toHaveLength(0);

    type('q0-max-input', '2');
    fireEvent.click(await screen.findByTestId(`poll-grids-${pollIds.grid1}`));
    fireEvent.click(screen.getByTestId(`poll-grids-${pollIds.grid3}`));
    fireEvent.click(screen.getByTestId('question-add'));
    expect(screen.getByTestId('question-1')).toBeTruthy();
    fireEvent.click(screen.getByTestId('q1-remove'));
    expect(screen.queryByTestId('question-1')).toBeNull();
    fireEvent.click(screen.getByTestId('poll-save'));
    await screen.findByTestId('poll-created');
    expect(posts(api.calls)[0]!.body).toEqual({
      title: '社区文化节活动项目',
      description: '每户最多选两项。',
      questions: [{ title: '您家最想参加哪些活动', kind: 'multiple', options: ['广场舞比赛', '趣味运动会', '书画展'], minPicks: 1, maxPicks: 2 }],
      opensAt: `${addDays(shanghaiDay(0), 1)}T08:00:00+08:00`,
      closesAt: `${addDays(shanghaiDay(0), 15)}T20:00:00+08:00`,
      countingUnit: 'room',
      secrecy: 'secret',
      resultVisibility: 'after_close',
      scope: { kind: 'grids', ids: [pollIds.grid1, pollIds.grid3] },
      noticeDays: 7,
    });
  });

  it('a network failure keeps the Idempotency-Key for the retry; 立即发布 shows POLL_ROLL_INCOMPLETE, then publishes', async () => {
    let creates = 0;
    let opens = 0;
    const message = '这些房屋在台账里没有业主：5号楼 1单元 301。请先补全房屋台账再发布业主表决';
    const api = stack({
      'POST /api/v1/staff/polls': (c: Call) => {
        creates += 1;
        return creates === 1 ? 'network-error' : { status: 201, body: roomPoll({ id: pollIds.draft, status: 'draft', participation: null, title: (c.body as { title: string }).title }) };
      },
      [`POST /api/v1/staff/polls/${pollIds.draft}/open`]: () => {
        opens += 1;
        return opens === 1
          ? apiError(422, 'POLL_ROLL_INCOMPLETE', message, { rooms: ['5号楼 1单元 301'] })
          : { status: 200, body: roomPoll({ id: pollIds.draft, title: '楼道堆物清理', participation: { heads: 0, totalHeads: 600, area: null, totalArea: null } }) };
      },
    });
    render(<StaffPollNew />);
    await screen.findByTestId('poll-save');
    type('poll-title-input', '楼道堆物清理');
    fireEvent.click(screen.getByTestId('poll-counting-choices-room'));
    type('q0-title-input', '是否同意统一清理楼道堆物');
    fireEvent.click(screen.getByTestId('q0-kind-choices-yesno'));
    fireEvent.click(screen.getByTestId('poll-save'));
    expect((await screen.findByTestId('poll-form-error')).textContent).toBe('网络不太好，请检查网络后再试');
    fireEvent.click(screen.getByTestId('poll-save'));
    await screen.findByTestId('poll-created');
    const [first, second] = posts(api.calls);
    expect(second!.headers['Idempotency-Key']).toBe(first!.headers['Idempotency-Key']);
    expect((second!.body as { questions: unknown[] }).questions).toEqual([{ title: '是否同意统一清理楼道堆物', kind: 'yesno', options: [], minPicks: 1, maxPicks: 1 }]);

    expect(screen.getByTestId('poll-created').textContent).toContain('发布时按现在的房屋台账固定投票名册');
    fireEvent.click(screen.getByTestId('poll-open-now'));
    expect((await screen.findByTestId('poll-open-error')).textContent).toBe(message);
    expect(screen.getByTestId('poll-missing').textContent).toContain('5号楼 1单元 301');
    fireEvent.click(screen.getByTestId('poll-open-now'));
    expect((await screen.findByTestId('poll-opened')).textContent).toContain('名册已固定，共600户');
  });

  it('a grid worker cannot create polls', async () => {
    const api = mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffPollNew />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
    expect(api.calls.filter((c) => c.path.startsWith('/api/v1/staff/'))).toHaveLength(0);
  });
});

describe('staff: 投票管理 in 长辈版 and on the workbench', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('the list and the form render in 长辈版, every tappable thing with the tap class', async () => {
    elderlyStore.set(true);
    mockApi({ 'GET /api/v1/me': centreMe, 'GET /api/v1/staff/polls': { status: 200, body: { items: all } }, 'GET /api/v1/staff/grids': grids });
    const list = render(<StaffPolls />);
    await screen.findAllByTestId('poll-item');
    expect(list.container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(list.container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
    list.unmount();

    const form = render(<StaffPollNew />);
    await screen.findByTestId('poll-save');
    fireEvent.click(screen.getByTestId('poll-counting-choices-owner'));
    fireEvent.click(screen.getByTestId('poll-scope-choices-grids'));
    await screen.findByTestId(`poll-grids-${pollIds.grid1}`);
    expect(form.container.querySelector('.shell')!.classList.contains('shell--elderly')).toBe(true);
    for (const el of Array.from(form.container.querySelectorAll('[role="radio"], [role="checkbox"], button'))) expect(el.className).toContain('tap');
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  it('centre staff find 投票管理, 发起投票 and 议题审核 in a 居民议事 card; grid workers find 投票管理', async () => {
    mockApi({ 'GET /api/v1/me': centreMe });
    const centre = render(<StaffHome />);
    expect(await screen.findByText('居民议事')).toBeTruthy();
    for (const [testId, url] of [
      ['staff-polls', '/staff/polls/index'],
      ['staff-poll-new', '/staff/poll-new/index'],
      ['staff-topic-review', '/staff/topic-review/index'],
    ] as const) {
      fireEvent.click(screen.getByTestId(testId));
      expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url });
    }
    centre.unmount();

    resetAppState();
    signIn('grid');
    mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffHome />);
    expect(await screen.findByText('居民议事')).toBeTruthy();
    expect(screen.getByTestId('staff-polls').textContent).toContain('纸质票、未投票名单');
    expect(screen.queryByTestId('staff-poll-new')).toBeNull();
    expect(screen.queryByTestId('staff-topic-review')).toBeNull();
  });
});
