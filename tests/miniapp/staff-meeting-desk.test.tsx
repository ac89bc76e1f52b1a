import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { followUpBody, meetingMinutesBody, resolutionCreateBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { attendance, centreMe, detail, meeting, mtgIds, resolution, residentMe, signInCode } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import { qrMatrix } from '../../miniapp/src/booking/QrCode';
import StaffMeetingDesk from '../../miniapp/src/staff/meeting-desk/index';

const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });
const M = `/api/v1/meetings/${mtgIds.meeting}`;
const S = `/api/v1/staff/meetings/${mtgIds.meeting}`;

function message(r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }, field: string): string {
  return r.error!.issues.find((i) => String(i.path[0]) === field)!.message;
}

function routes(extra: Record<string, unknown> = {}, body = detail()) {
  return {
    'GET /api/v1/me': centreMe,
    [`GET ${M}`]: { status: 200, body },
    [`GET ${S}/attendance`]: {
      status: 200,
      body: { items: [attendance(), attendance({ userId: mtgIds.li, name: '李桂芳', title: 'building_head', signedInAt: new Date().toISOString(), method: 'scan' })] },
    },
    [`GET ${S}/sign-in-code`]: { status: 200, body: { current: signInCode() } },
    ...extra,
  } as Parameters<typeof mockApi>[0];
}

describe('staff: 议事会签到台', () => {
  beforeEach(() => {
    resetAppState();
    signIn('staff');
    routerParams.current = { id: mtgIds.meeting };
  });
  afterEach(() => {
    routerParams.current = {};
    jest.useRealTimers();
  });

  it('the poster shows the code in force as a QR of the sign-in page’s link; 换一张 asks, then makes a new one', async () => {
    const api = mockApi(routes({ [`POST ${S}/sign-in-code`]: { status: 200, body: signInCode('ZyXwVu9876') } }));
    render(<StaffMeetingDesk />);
    expect((await screen.findByTestId('poster-code')).textContent).toBe('AbCdEfGh23');
    const qr = screen.getByTestId('poster-qr');
    const link = `${window.location.origin}${window.location.pathname}#/vote/meeting-sign/index?c=AbCdEfGh23`;
    expect(qr.getAttribute('aria-label')).toContain(link);
    expect(Number(qr.getAttribute('data-modules'))).toBe(qrMatrix(link).length);
    expect(posts(api.calls, `${S}/sign-in-code`)).toHaveLength(0);

    fireEvent.click(screen.getByTestId('poster-renew'));
    expect(screen.getByTestId('poster-renew-panel').textContent).toContain('都不能再用');
    fireEvent.click(screen.getByTestId('poster-renew-confirm'));
    await waitFor(() => expect(screen.getByTestId('poster-code').textContent).toBe('ZyXwVu9876'));
    expect(screen.getByTestId('poster-state').textContent).toContain('新的签到码');
    expect(posts(api.calls, `${S}/sign-in-code`)).toHaveLength(1);
  });

  it('no code yet: 生成签到码', async () => {
    const api = mockApi(routes({ [`GET ${S}/sign-in-code`]: { status: 200, body: { current: null } }, [`POST ${S}/sign-in-code`]: { status: 200, body: signInCode() } }));
    render(<StaffMeetingDesk />);
    await screen.findByText(/还没有签到码/);
    fireEvent.click(screen.getByTestId('poster-new'));
    expect((await screen.findByTestId('poster-code')).textContent).toBe('AbCdEfGh23');
    expect(posts(api.calls, `${S}/sign-in-code`)).toHaveLength(1);
  });

  it('实到/应到 with the quorum, refreshed every 10 s; 代签到 for an absent member', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    let present = 4;
    const api = mockApi(
      routes({
        [`GET ${M}`]: () => ({ status: 200, body: detail({ present, quorumMet: present >= 5 }) }),
        [`POST ${S}/attendance`]: (c: Call) => {
          present = 5;
          return { status: 200, body: attendance({ userId: (c.body as { userId: string }).userId, signedInAt: new Date().toISOString(), method: 'desk' }) };
        },
      }),
    );
    render(<StaffMeetingDesk />);
    expect((await screen.findByTestId('desk-attendance-present')).textContent).toBe('4');
    expect(screen.getByTestId('desk-attendance-quorum').textContent).toBe('还没过半数：要到5人，还差1人');
    const before = api.calls.filter((c) => c.path === M).length;
    present = 4;
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    await waitFor(() => expect(api.calls.filter((c) => c.path === M).length).toBe(before + 1));

    const rows = screen.getAllByTestId('roll-row');
    expect(rows[0]!.textContent).toContain('王秀英');
    expect(rows[1]!.textContent).toContain('扫码签到');
    fireEvent.click(within(rows[0]!).getByTestId(`desk-sign-${mtgIds.wang}`));
    await waitFor(() => expect(screen.getByTestId('desk-attendance-present').textContent).toBe('5'));
    expect(screen.getByTestId('desk-attendance-quorum').textContent).toBe('已过半数（5人即可），可以表决');
    expect(posts(api.calls, `${S}/attendance`)[0]!.body).toEqual({ userId: mtgIds.wang });
  });

  it('a 代签到 refusal is shown in the API’s words beside the member', async () => {
    mockApi(routes({ [`POST ${S}/attendance`]: apiError(409, 'MEETING_SIGN_IN_CLOSED', '现在不在签到时间内（会议开始前1小时到会议结束）') }));
    render(<StaffMeetingDesk />);
    fireEvent.click(await screen.findByTestId(`desk-sign-${mtgIds.wang}`));
    expect((await screen.findByTestId('roll-error')).textContent).toBe('现在不在签到时间内（会议开始前1小时到会议结束）');
  });

  it('minutes: the shared schema checks the length, then a new revision is saved; MEETING_NOT_STARTED in the API’s words', async () => {
    let n = 0;
    const api = mockApi(
      routes({
        [`POST ${S}/minutes`]: (c: Call) => {
          n += 1;
          if (n === 1) return apiError(409, 'MEETING_NOT_STARTED', '会议开始后才能记录纪要和决议');
          return { status: 200, body: meeting({ minutes: { text: (c.body as { text: string }).text, byName: '孙晓燕', at: new Date().toISOString(), revision: 1 } }) };
        },
      }),
    );
    render(<StaffMeetingDesk />);
    await screen.findByTestId('desk-minutes');
    type('minutes-input', '太短');
    fireEvent.click(screen.getByTestId('minutes-save'));
    expect((await screen.findByTestId('minutes-error')).textContent).toBe(message(meetingMinutesBody.safeParse({ text: '太短' }), 'text'));
    expect(posts(api.calls, `${S}/minutes`)).toHaveLength(0);
    type('minutes-input', '会议由社区书记主持，讨论了充电桩和照明两件事。');
    fireEvent.click(screen.getByTestId('minutes-save'));
    expect((await screen.findByText('会议开始后才能记录纪要和决议')).textContent).toBe('会议开始后才能记录纪要和决议');
    fireEvent.click(screen.getByTestId('minutes-save'));
    expect((await screen.findByTestId('minutes-saved')).textContent).toContain('已保存为第1版');
    expect(screen.getByTestId('meeting-minutes-meta').textContent).toContain('第1版 · 孙晓燕');
  });

  it('a resolution per agenda item: the schema’s words, the counts checked against 实到, the API’s refusals, then the resolution shows', async () => {
    let n = 0;
    const api = mockApi(
      routes(
        {
          [`POST ${S}/resolutions`]: (c: Call) => {
            n += 1;
            if (n === 1) return apiError(409, 'MEETING_NO_QUORUM', '到会成员没有过半数，不能形成决议');
            return { status: 201, body: resolution({ ...(c.body as object), present: 6, passed: true }) };
          },
        },
        detail({ present: 6, quorumMet: true }),
      ),
    );
    render(<StaffMeetingDesk />);
    fireEvent.click(await screen.findByTestId('res-open-0'));
    fireEvent.click(screen.getByTestId('res-0-submit'));
    const empty = resolutionCreateBody.safeParse({ agendaIndex: 0, text: '', owner: '' });
    expect((await screen.findByTestId('res-0-text-error')).textContent).toBe(message(empty, 'text'));
    expect(screen.getByTestId('res-0-yes-error').textContent).toBe(message(empty, 'yes'));
    expect(screen.getByTestId('res-0-owner-error').textContent).toBe(message(empty, 'owner'));
    expect(screen.getByTestId('res-0-due-error').textContent).toBe(message(empty, 'dueDate'));

    type('res-0-text-input', '在3号楼东侧安装电动车充电桩10个。');
    type('res-0-yes-input', '5');
    type('res-0-no-input', '1');
    type('res-0-abstain-input', '3');
    type('res-0-owner-input', '金城物业');
    type('res-0-due-input', '2026-12-31');
    fireEvent.click(screen.getByTestId('res-0-submit'));
    expect((await screen.findByTestId('res-0-yes-error')).textContent).toBe('赞成、反对、弃权加起来是9人，超过了到会的6人');
    expect(posts(api.calls, `${S}/resolutions`)).toHaveLength(0);

    type('res-0-abstain-input', '0');
    fireEvent.click(screen.getByTestId('res-0-submit'));
    expect((await screen.findByTestId('res-0-error')).textContent).toBe('到会成员没有过半数，不能形成决议');
    fireEvent.click(screen.getByTestId('res-0-submit'));
    const r = await screen.findByTestId('resolution');
    expect(within(r).getByTestId('resolution-votes').textContent).toBe('赞成 5 · 反对 1 · 弃权 0');
    expect(within(r).getByTestId('resolution-present').textContent).toBe('到会 6 人，赞成过半数才通过');
    expect(posts(api.calls, `${S}/resolutions`)[1]!.body).toEqual({ agendaIndex: 0, text: '在3号楼东侧安装电动车充电桩10个。', yes: 5, no: 1, abstain: 0, owner: '金城物业', dueDate: '2026-12-31' });
    // The other agenda item can still get its own.
    expect(screen.getByTestId('res-open-1')).toBeTruthy();
  });

  it('follow-ups: the schema’s words, then the history grows; RESOLUTION_DONE in the API’s words', async () => {
    let n = 0;
    const api = mockApi(
      routes(
        {
          [`POST /api/v1/staff/resolutions/${mtgIds.resolution}/follow-ups`]: (c: Call) => {
            n += 1;
            if (n === 2) return apiError(409, 'RESOLUTION_DONE', '这项决议已经落实完了，不能再添加进展');
            const b = c.body as { note: string; status: 'in_progress' | 'done' };
            return { status: 200, body: resolution({ status: b.status, followUps: [{ ...b, byName: '孙晓燕', at: new Date().toISOString() }] }) };
          },
        },
        detail({ present: 6, quorumMet: true }, [resolution()]),
      ),
    );
    render(<StaffMeetingDesk />);
    fireEvent.click(await screen.findByTestId(`follow-open-${mtgIds.resolution}`));
    fireEvent.click(screen.getByTestId('follow-submit'));
    const empty = followUpBody.safeParse({ note: '' });
    expect((await screen.findByTestId('follow-note-error')).textContent).toBe(message(empty, 'note'));
    expect(screen.getByTestId('follow-status-error').textContent).toBe(message(empty, 'status'));
    type('follow-note-input', '物业已订购充电桩，下周安装');
    fireEvent.click(screen.getByTestId('follow-status-choices-in_progress'));
    fireEvent.click(screen.getByTestId('follow-submit'));
    expect((await screen.findByTestId('follow-up')).textContent).toContain('物业已订购充电桩，下周安装');
    expect(screen.getByTestId('resolution').textContent).toContain('落实中');
    expect(posts(api.calls, `/api/v1/staff/resolutions/${mtgIds.resolution}/follow-ups`)[0]!.body).toEqual({ note: '物业已订购充电桩，下周安装', status: 'in_progress' });

    fireEvent.click(screen.getByTestId(`follow-open-${mtgIds.resolution}`));
    type('follow-note-input', '已经装好了');
    fireEvent.click(screen.getByTestId('follow-status-choices-done'));
    fireEvent.click(screen.getByTestId('follow-submit'));
    expect((await screen.findByTestId('follow-error')).textContent).toBe('这项决议已经落实完了，不能再添加进展');
  });

  it('before the start: no minutes editor nor resolution forms, and they say when they come', async () => {
    const soon = detail({ startsAt: new Date(Date.now() + 30 * 60_000).toISOString(), endsAt: new Date(Date.now() + 150 * 60_000).toISOString(), present: 0 });
    mockApi(routes({}, soon));
    render(<StaffMeetingDesk />);
    await screen.findByTestId('desk-resolutions');
    expect(screen.queryByTestId('desk-minutes')).toBeNull();
    expect(screen.queryByTestId('res-form-0')).toBeNull();
    expect(screen.queryByTestId('res-open-0')).toBeNull();
    expect(screen.getByText('会议开始后可以在这里写纪要。')).toBeTruthy();
  });

  it('a failure to load is shown in the API’s words; a resident is turned away', async () => {
    mockApi(routes({ [`GET ${M}`]: apiError(404, 'NOT_FOUND', '没有找到这次议事会') }));
    const { unmount } = render(<StaffMeetingDesk />);
    expect((await screen.findByTestId('desk-error')).textContent).toBe('没有找到这次议事会');
    unmount();
    resetAppState();
    signIn();
    mockApi({ 'GET /api/v1/me': residentMe });
    render(<StaffMeetingDesk />);
    expect(await screen.findByText('这一页是便民服务中心工作人员用的，您没有权限查看。')).toBeTruthy();
  });

  it('长辈版: the shell is large; 代签到 and the choices are tap targets', async () => {
    elderlyStore.set(true);
    mockApi(routes());
    const { container } = render(<StaffMeetingDesk />);
    expect((await screen.findByTestId(`desk-sign-${mtgIds.wang}`)).classList.contains('tap')).toBe(true);
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
    expect((await screen.findByTestId('poster-renew')).classList.contains('tap')).toBe(true);
  });
});
