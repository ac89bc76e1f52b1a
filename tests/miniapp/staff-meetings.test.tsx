import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { addDays, meetingCancelBody, meetingCreateBody, meetingAgendaItemInput } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { centreMe, futureMeeting, gridWorkerMe, meeting, mtgIds } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import { shanghaiToday } from '../../miniapp/src/services/format';
import StaffMeetings from '../../miniapp/src/staff/meetings/index';
import StaffHome from '../../miniapp/src/staff/index/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

function issue(input: Record<string, unknown>, path: string): string {
  const r = meetingCreateBody.safeParse(input);
  if (r.success) throw new Error('expected the schema to refuse this input');
  const found = r.error.issues.find((i) => i.path.join('.') === path);
  if (!found) throw new Error(`no issue at ${path}`);
  return found.message;
}

const agendaTopic = {
  id: mtgIds.topic,
  title: '3号楼加装电动车充电桩',
  body: '楼下电动车乱停乱充，很危险。',
  photoUrls: [],
  authorName: '王秀英',
  mine: false,
  byStaff: false,
  status: 'agenda',
  hiddenReason: null,
  supportCount: 32,
  supportThreshold: 30,
  supported: false,
  agendaAt: '2026-11-20T02:00:00.000Z',
  commentCount: 4,
  polls: [],
  createdAt: '2026-11-10T02:00:00.000Z',
};

function routes(extra: Record<string, unknown> = {}) {
  return {
    'GET /api/v1/me': centreMe,
    'GET /api/v1/meetings': (c: Call) => ({ status: 200, body: { items: c.url.includes('when=past') ? [] : [meeting()] } }),
    'GET /api/v1/topics': { status: 200, body: { items: [agendaTopic] } },
    ...extra,
  } as Parameters<typeof mockApi>[0];
}

describe('staff: 议事会 list', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('lists meetings with 实到/应到; the desk opens from a row; the past tab asks for past ones', async () => {
    const api = mockApi(routes());
    render(<StaffMeetings />);
    const row = await screen.findByTestId('staff-meeting');
    expect(within(row).getByTestId('staff-meeting-attendance').textContent).toBe('实到 4 / 应到 9 人，未过半数');
    fireEvent.click(within(row).getByTestId('open-desk'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/staff/meeting-desk/index?id=${mtgIds.meeting}` });
    fireEvent.click(screen.getByTestId('meeting-tabs-past'));
    await waitFor(() => expect(api.calls.some((c) => c.url.includes('when=past'))).toBe(true));
    expect(await screen.findByText('还没有开过的议事会。')).toBeTruthy();
  });

  it('cancel: the reason is checked by the shared schema, then sent; the row says 已取消', async () => {
    const api = mockApi(
      routes({
        [`POST /api/v1/staff/meetings/${mtgIds.meeting}/cancel`]: (c: Call) => ({ status: 200, body: meeting({ status: 'cancelled', cancelReason: (c.body as { reason: string }).reason }) }),
      }),
    );
    render(<StaffMeetings />);
    fireEvent.click(within(await screen.findByTestId('staff-meeting')).getByTestId('meeting-cancel-open'));
    fireEvent.click(screen.getByTestId('meeting-cancel-submit'));
    const empty = meetingCancelBody.safeParse({ reason: '' });
    expect((await screen.findByTestId('meeting-cancel-reason-error')).textContent).toBe(empty.error!.issues[0]!.message);
    expect(posts(api.calls, `/api/v1/staff/meetings/${mtgIds.meeting}/cancel`)).toHaveLength(0);
    type('meeting-cancel-reason-input', '会议室临时检修，改期另行通知');
    fireEvent.click(screen.getByTestId('meeting-cancel-submit'));
    await waitFor(() => expect(screen.getByTestId('staff-meeting').textContent).toContain('已取消：会议室临时检修，改期另行通知'));
    expect(posts(api.calls, `/api/v1/staff/meetings/${mtgIds.meeting}/cancel`)[0]!.body).toEqual({ reason: '会议室临时检修，改期另行通知' });
  });

  it('a list failure shows the API’s words', async () => {
    mockApi(routes({ 'GET /api/v1/meetings': apiError(403, 'FORBIDDEN', '您没有权限查看') }));
    render(<StaffMeetings />);
    expect((await screen.findByTestId('meetings-error')).textContent).toBe('您没有权限查看');
  });

  it('the workbench has 议事会 and 议事会成员 for centre staff, not for grid workers', async () => {
    mockApi({ 'GET /api/v1/me': centreMe });
    const { unmount } = render(<StaffHome />);
    fireEvent.click(await screen.findByTestId('staff-meetings'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/meetings/index' });
    fireEvent.click(screen.getByTestId('staff-council'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/council/index' });
    unmount();
    mockApi({ 'GET /api/v1/me': gridWorkerMe });
    render(<StaffHome />);
    await screen.findByTestId('staff-polls');
    expect(screen.queryByTestId('staff-meetings')).toBeNull();
  });
});

describe('staff: 召开议事会 form', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
  });

  it('the shared schema’s messages beside each field, nothing sent; then the body in Shanghai time with an Idempotency-Key', async () => {
    const api = mockApi(
      routes({
        'POST /api/v1/staff/meetings': (c: Call) => ({ status: 201, body: futureMeeting({ title: (c.body as { title: string }).title }) }),
      }),
    );
    render(<StaffMeetings />);
    fireEvent.click(await screen.findByTestId('meeting-new'));
    fireEvent.click(screen.getByTestId('mf-submit'));
    const empty = { title: '', place: '', startsAt: 'x', endsAt: 'x', agenda: [] };
    expect((await screen.findByTestId('mf-title-error')).textContent).toBe(issue(empty, 'title'));
    expect(screen.getByTestId('mf-place-error').textContent).toBe(issue(empty, 'place'));
    expect(screen.getByTestId('mf-agenda-error').textContent).toBe(issue(empty, 'agenda'));
    expect(screen.getByTestId('mf-error').textContent).toBe('还有内容没有填好，请看红字提示');

    // A typed agenda item too short: the item schema's words, not added.
    type('mf-free-input', '灯');
    fireEvent.click(screen.getByTestId('mf-free-add'));
    expect(screen.getByTestId('mf-free-error').textContent).toBe(meetingAgendaItemInput.safeParse({ title: '灯' }).error!.issues[0]!.message);

    type('mf-title-input', '12月居民议事会');
    type('mf-place-input', '社区党群服务中心二楼会议室');
    const day = addDays(shanghaiToday(), 3);
    fireEvent.click(screen.getByTestId(`mf-days-${day}`));
    fireEvent.click(screen.getByTestId('mf-starts-14:30'));
    // The end is before the start: the schema's refinement message under 结束.
    type('mf-end-input', '13:00');
    fireEvent.click(await screen.findByTestId(`mf-topic-${mtgIds.topic}`));
    type('mf-free-input', '小区东门夜间照明');
    fireEvent.click(screen.getByTestId('mf-free-add'));
    expect(screen.getAllByTestId('mf-agenda-item').map((x) => x.querySelector('.mtg-agenda__title')!.textContent)).toEqual(['3号楼加装电动车充电桩', '小区东门夜间照明']);
    // The agenda's message goes once the agenda has items.
    expect(screen.queryByTestId('mf-agenda-error')).toBeNull();
    expect(screen.queryByTestId('mf-title-error')).toBeNull();
    fireEvent.click(screen.getByTestId('mf-submit'));
    expect((await screen.findByTestId('mf-end-error')).textContent).toBe('结束时间要晚于开始时间');
    expect(posts(api.calls, '/api/v1/staff/meetings')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('mf-ends-16:30'));
    fireEvent.click(screen.getByTestId('mf-submit'));
    await screen.findByTestId('meetings-notice');
    const sent = posts(api.calls, '/api/v1/staff/meetings');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({
      title: '12月居民议事会',
      place: '社区党群服务中心二楼会议室',
      startsAt: `${day}T14:30:00+08:00`,
      endsAt: `${day}T16:30:00+08:00`,
      agenda: [{ title: '3号楼加装电动车充电桩', topicId: mtgIds.topic }, { title: '小区东门夜间照明' }],
    });
    expect(sent[0]!.headers['Idempotency-Key']).toMatch(KEY);
    expect(screen.getByTestId('meetings-notice').textContent).toContain('已召开“12月居民议事会”');
  });

  it('a network failure keeps the key: the retry sends the same Idempotency-Key; a refusal shows the API’s words', async () => {
    let n = 0;
    const api = mockApi(
      routes({
        'POST /api/v1/staff/meetings': () => {
          n += 1;
          if (n === 1) return 'network-error';
          if (n === 2) return { status: 201, body: futureMeeting() };
          return apiError(422, 'VALIDATION_FAILED', '提交的内容有误', { fields: { 'body.place': ['地点至少2个字'] } });
        },
      }),
    );
    render(<StaffMeetings />);
    fireEvent.click(await screen.findByTestId('meeting-new'));
    type('mf-title-input', '1月居民议事会');
    type('mf-place-input', '社区会议室');
    type('mf-free-input', '楼道堆物清理');
    fireEvent.click(screen.getByTestId('mf-free-add'));
    fireEvent.click(screen.getByTestId('mf-submit'));
    expect((await screen.findByTestId('mf-error')).textContent).toBe('网络不太好，请检查网络后再试');
    fireEvent.click(screen.getByTestId('mf-submit'));
    await screen.findByTestId('meetings-notice');
    const sent = posts(api.calls, '/api/v1/staff/meetings');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.headers['Idempotency-Key']).toBe(sent[0]!.headers['Idempotency-Key']);

    // A second meeting: a fresh key, and the API's field message beside the field.
    fireEvent.click(screen.getByTestId('meeting-new'));
    type('mf-title-input', '2月居民议事会');
    type('mf-place-input', '社区会议室');
    type('mf-free-input', '楼道堆物清理');
    fireEvent.click(screen.getByTestId('mf-free-add'));
    fireEvent.click(screen.getByTestId('mf-submit'));
    expect((await screen.findByTestId('mf-place-error')).textContent).toBe('地点至少2个字');
    expect(screen.getByTestId('mf-error').textContent).toBe('提交的内容有误');
    expect(posts(api.calls, '/api/v1/staff/meetings')[2]!.headers['Idempotency-Key']).not.toBe(sent[0]!.headers['Idempotency-Key']);
  });

  it('长辈版: day, time and topic choices are big tap targets', async () => {
    elderlyStore.set(true);
    mockApi(routes());
    const { container } = render(<StaffMeetings />);
    fireEvent.click(await screen.findByTestId('meeting-new'));
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
    expect(screen.getByTestId('mf-starts-14:30').classList.contains('tap')).toBe(true);
    expect((await screen.findByTestId(`mf-topic-${mtgIds.topic}`)).classList.contains('tap')).toBe(true);
  });
});
