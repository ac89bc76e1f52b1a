import fs from 'node:fs';
import path from 'node:path';
import { fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { detail, futureMeeting, mtgIds, resolution, residentMe } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import MeetingPage from '../../miniapp/src/vote/meeting/index';

const get = (body: unknown) => ({ 'GET /api/v1/me': residentMe, [`GET /api/v1/meetings/${mtgIds.meeting}`]: { status: 200, body } });

describe('one 议事会 (residents)', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: mtgIds.meeting };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('time, place, the agenda (a resident topic links to it), 实到/应到 with quorum, minutes and each resolution with its follow-ups', async () => {
    const r = resolution({
      status: 'in_progress',
      followUps: [{ note: '物业已订购充电桩，下周安装', status: 'in_progress', byName: '孙晓燕', at: '2026-12-05T02:00:00.000Z' }],
    });
    const r2 = resolution({ id: 'e'.repeat(24), agendaIndex: 1, agendaTitle: '小区东门夜间照明', topicId: null, text: '东门加装两盏路灯。', yes: 2, no: 3, abstain: 1, passed: false, owner: '第一网格' });
    mockApi(
      get(
        detail(
          {
            present: 6,
            quorumMet: true,
            minutes: { text: '会议由社区书记主持，讨论了充电桩和照明两件事。', byName: '孙晓燕', at: '2026-12-03T08:40:00.000Z', revision: 2 },
            resolutionCount: 2,
          },
          [r, r2],
        ),
      ),
    );
    render(<MeetingPage />);
    expect(screen.getByText('正在加载…')).toBeTruthy();
    expect((await screen.findByTestId('meeting-place')).textContent).toBe('社区党群服务中心二楼会议室');
    expect(screen.getByText('12月居民议事会')).toBeTruthy();
    expect(screen.getByTestId('meeting-attendance-present').textContent).toBe('6');
    expect(screen.getByTestId('meeting-attendance-expected').textContent).toBe('9');
    expect(screen.getByTestId('meeting-attendance-quorum').textContent).toBe('已过半数（5人即可），可以表决');
    expect(screen.getByTestId('meeting-minutes').textContent).toContain('会议由社区书记主持');
    expect(screen.getByTestId('meeting-minutes-meta').textContent).toBe('第2版 · 孙晓燕 · 12月3日 16:40');

    const [first, second] = screen.getAllByTestId('resolution');
    expect(within(first!).getByTestId('resolution-votes').textContent).toBe('赞成 5 · 反对 1 · 弃权 0');
    expect(within(first!).getByTestId('resolution-present').textContent).toBe('到会 6 人，赞成过半数才通过');
    expect(screen.getByTestId('meeting-when').textContent).toMatch(/^\d+月\d+日 周.\d{2}:\d{2}–\d{2}:\d{2}$/);
    expect(first!.textContent).toContain('通过');
    expect(first!.textContent).toContain('金城物业');
    expect(first!.textContent).toContain('12月31日');
    expect(first!.textContent).toContain('落实中');
    expect(within(first!).getByTestId('follow-up').textContent).toContain('物业已订购充电桩，下周安装');
    expect(within(first!).getByTestId('follow-up').textContent).toContain('孙晓燕');
    expect(second!.textContent).toContain('未通过');
    expect(second!.textContent).toContain('待落实');

    fireEvent.click(screen.getByTestId('agenda-0'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/vote/topic/index?id=${mtgIds.topic}` });
    // A typed agenda item is not a link.
    expect(screen.getByTestId('agenda-1').getAttribute('role')).toBeNull();
  });

  it('below quorum: says how many are still needed', async () => {
    mockApi(get(detail({ present: 3, quorumMet: false })));
    render(<MeetingPage />);
    expect((await screen.findByTestId('meeting-attendance-quorum')).textContent).toBe('还没过半数：要到5人，还差2人');
    expect(screen.getByTestId('meeting-minutes-card').textContent).toContain('纪要还在整理');
  });

  it('a member while sign-in is open is told to scan the code at the venue; after signing in, when', async () => {
    mockApi(get(detail({ me: { member: true, signedInAt: null } })));
    const { unmount } = render(<MeetingPage />);
    expect((await screen.findByTestId('meeting-sign-hint')).textContent).toContain('请用微信“扫一扫”扫会场贴着的签到码签到');
    unmount();
    mockApi(get(detail({ me: { member: true, signedInAt: '2026-12-03T06:25:00.000Z' } })));
    render(<MeetingPage />);
    expect((await screen.findByTestId('meeting-sign-hint')).textContent).toBe('您已签到（14:25），谢谢您来参会。');
  });

  it('someone who is not a member gets no sign-in hint', async () => {
    mockApi(get(detail({ me: { member: false, signedInAt: null } })));
    render(<MeetingPage />);
    await screen.findByTestId('meeting-place');
    expect(screen.queryByTestId('meeting-sign-hint')).toBeNull();
  });

  it('a cancelled meeting shows 已取消 with its reason and no attendance or minutes', async () => {
    mockApi(get({ ...futureMeeting({ id: mtgIds.meeting, status: 'cancelled', cancelReason: '会议室检修，改期另行通知', me: { member: true, signedInAt: null } }), resolutions: [] }));
    render(<MeetingPage />);
    expect((await screen.findByTestId('meeting-cancelled')).textContent).toBe('这次会议已取消：会议室检修，改期另行通知');
    expect(screen.queryByTestId('meeting-attendance-card')).toBeNull();
    expect(screen.queryByTestId('meeting-minutes-card')).toBeNull();
    expect(screen.queryByTestId('meeting-sign-hint')).toBeNull();
  });

  it('a failure shows the API’s words', async () => {
    mockApi({ 'GET /api/v1/me': residentMe, [`GET /api/v1/meetings/${mtgIds.meeting}`]: apiError(404, 'NOT_FOUND', '没有找到这次议事会') });
    render(<MeetingPage />);
    expect((await screen.findByTestId('meeting-error')).textContent).toBe('没有找到这次议事会');
  });

  it('长辈版: large shell; agenda links and list rows are at least --tap tall in the stylesheet', async () => {
    elderlyStore.set(true);
    mockApi(get(detail()));
    const { container } = render(<MeetingPage />);
    await screen.findByTestId('meeting-place');
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
    expect(screen.getByTestId('agenda-0').classList.contains('tap')).toBe(true);
    const css = fs.readFileSync(path.resolve(__dirname, '../../miniapp/src/vote/meeting.scss'), 'utf8');
    for (const sel of ['.mtg-item', '.mtg-agenda']) {
      const block = new RegExp(`\\${sel}\\s*\\{([^}]*)\\}`).exec(css)![1]!;
      expect(block).toContain('min-height: var(--tap)');
    }
  });
});
