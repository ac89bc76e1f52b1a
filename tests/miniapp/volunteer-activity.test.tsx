import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { toShanghaiIso } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { activity, authority, campaign, residentMe, signup, volIds } from './support/volunteer';
import Volunteer from '../../miniapp/src/pages/volunteer/index';
import VolunteerActivity from '../../miniapp/src/volunteer/activity/index';
import { posterIdOf } from '../../miniapp/src/volunteer/poster';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const btn = { selector: '.btn__text' } as const;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const activityPath = `/api/v1/activities/${volIds.activity}`;

describe('志愿 tab: activities by type, my hours, campaigns', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('lists activities with time, place, organiser, places, the sign-up window and limits; a type tab asks for that type', async () => {
    const culture = activity({
      id: volIds.activity2,
      type: 'culture',
      title: '广场舞友谊赛',
      seatsLeft: 0,
      waiting: 4,
      skills: ['会跳广场舞'],
      minAge: 50,
      maxAge: null,
      signupOpensAt: toShanghaiIso(new Date(Date.now() + 86400_000)),
    });
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/activities': (c: Call) => {
        const type = new URL(c.url).searchParams.get('type');
        return { status: 200, body: { items: type === 'culture' ? [culture] : type ? [] : [activity(), culture] } };
      },
      'GET /api/v1/volunteers/me': { status: 200, body: { minutes: 150, points: 25, hoursLedger: [], pointsLedger: [], signups: [] } },
      'GET /api/v1/campaigns': { status: 200, body: { items: [campaign({ stage: 'notice', noticeUntil: toShanghaiIso(new Date(Date.now() + 5 * 86400_000)) })] } },
    });
    render(<Volunteer />);
    const items = await screen.findAllByTestId('activity-item');
    expect(items).toHaveLength(2);
    const [clean, dance] = items as [HTMLElement, HTMLElement];
    expect(clean.textContent).toContain('河滨公园清洁');
    expect(clean.textContent).toContain('地点：河滨公园南门');
    expect(clean.textContent).toContain('组织：滨河社区新时代文明实践站');
    expect(clean.textContent).toContain('09:00–11:00');
    expect(within(clean).getByTestId('activity-seats').textContent).toBe('共20人，剩5个名额');
    expect(within(clean).getByTestId('activity-window').textContent).toMatch(/^报名中，.+截止$/);
    expect(within(dance).getByTestId('activity-seats').textContent).toBe('名额已满 · 4人在候补');
    expect(within(dance).getByTestId('activity-window').textContent).toMatch(/开始报名$/);
    expect(dance.textContent).toContain('需要会跳广场舞；年龄50岁以上');

    // My hours in one decimal, and the campaign with its stage.
    expect((await screen.findByTestId('vol-hours')).textContent).toBe('2.5');
    expect(screen.getByTestId('vol-points').textContent).toBe('25');
    const camp = await screen.findByTestId('campaign-item');
    expect(camp.textContent).toContain('2026年度道德模范评选');
    expect(camp.textContent).toContain('公示中');
    fireEvent.click(camp);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/volunteer/campaign/index?id=${volIds.campaign}` });

    fireEvent.click(screen.getByTestId('activity-tabs-culture'));
    await waitFor(() => expect(screen.getAllByTestId('activity-item')).toHaveLength(1));
    expect(screen.getByTestId('activity-item').textContent).toContain('广场舞友谊赛');
    const asked = api.calls.filter((c) => c.path === '/api/v1/activities').map((c) => new URL(c.url).searchParams.get('type'));
    expect(asked).toEqual([null, 'culture']);

    fireEvent.click(screen.getByTestId('activity-tabs-drill'));
    expect(await screen.findByText('这一类近期还没有活动。')).toBeTruthy();

    fireEvent.click(screen.getByTestId('activity-tabs-all'));
    fireEvent.click((await screen.findAllByTestId('activity-item'))[0]!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/volunteer/activity/index?id=${volIds.activity}` });
  });
});

describe('an activity: sign up, line up, cancel, for a relative, scan', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
    routerParams.current = { id: volIds.activity };
  });
  afterEach(() => {
    routerParams.current = {};
  });

  function routes(state: { mine: ReturnType<typeof signup> | null }, over: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    return {
      'GET /api/v1/me': residentMe,
      'GET /api/v1/authorities': { status: 200, body: { given: [], received: [] } },
      [`GET ${activityPath}`]: () => ({
        status: 200,
        body: activity({ ...over, mySignup: state.mine && { id: state.mine.id, status: state.mine.status, waitPosition: state.mine.waitPosition, checkInAt: state.mine.checkInAt, checkOutAt: state.mine.checkOutAt } }),
      }),
      ...extra,
    };
  }

  it('asks first (inline), then signs up with an Idempotency-Key and shows 已报名', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    const api = mockApi(
      routes(state, {}, {
        [`POST ${activityPath}/signups`]: () => {
          state.mine = signup();
          return { status: 201, body: state.mine };
        },
      }),
    );
    render(<VolunteerActivity />);
    expect((await screen.findByTestId('activity-facts')).textContent).toContain('共20人，剩5个名额');
    fireEvent.click(await screen.findByText('我要报名', btn));
    expect(posts(api.calls, `${activityPath}/signups`)).toHaveLength(0);
    fireEvent.click(within(screen.getByTestId('signup-confirm')).getByText('确认报名', btn));

    expect((await screen.findByTestId('signup-notice')).textContent).toBe('报名成功！活动当天到现场扫码签到。');
    const [post] = posts(api.calls, `${activityPath}/signups`);
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
    expect(post!.body).toEqual({});
    await waitFor(() => expect(screen.getByTestId('signup-card').textContent).toContain('已报名'));
    expect(screen.getByText('取消报名', btn)).toBeTruthy();
  });

  it('an age limit the API cannot check: its words, nothing signed up, and a way to the volunteer profile', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    const message = '这个活动要求年龄18–45岁。请先在“志愿者资料”里填写身份证号（只用来核对年龄和开具证明），再来报名';
    mockApi(routes(state, { minAge: 18, maxAge: 45 }, { [`POST ${activityPath}/signups`]: apiError(409, 'AGE_UNKNOWN', message) }));
    render(<VolunteerActivity />);
    expect((await screen.findByTestId('activity-facts')).textContent).toContain('18–45岁（按志愿者资料里的身份证号核对）');
    fireEvent.click(await screen.findByText('我要报名', btn));
    fireEvent.click(within(screen.getByTestId('signup-confirm')).getByText('确认报名', btn));
    expect((await screen.findByTestId('signup-error')).textContent).toBe(message);
    fireEvent.click(screen.getByTestId('fill-profile'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/volunteer/profile/index' });
  });

  it('a cancelled activity says so with the organiser’s reason, and offers no sign-up', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    mockApi(routes(state, { status: 'cancelled', cancelledAt: '2026-11-26T15:30:00+08:00', cancelReason: '大风预警，改期另行通知' }));
    render(<VolunteerActivity />);
    expect((await screen.findByTestId('activity-cancelled')).textContent).toBe('这个活动已取消：大风预警，改期另行通知');
    expect(screen.queryByTestId('signup-open')).toBeNull();
  });

  it('outside the age limit: the API’s words and no way round it', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    const message = '这个活动要求年龄60岁以下，您活动当天76岁，不能报名。可以看看别的活动';
    mockApi(routes(state, { maxAge: 60 }, { [`POST ${activityPath}/signups`]: apiError(409, 'AGE_NOT_ALLOWED', message) }));
    render(<VolunteerActivity />);
    fireEvent.click(await screen.findByText('我要报名', btn));
    fireEvent.click(within(screen.getByTestId('signup-confirm')).getByText('确认报名', btn));
    expect((await screen.findByTestId('signup-error')).textContent).toBe(message);
    expect(screen.queryByTestId('fill-profile')).toBeNull();
  });

  it('a full activity lines up: the place in line is shown', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    const api = mockApi(
      routes(state, { seatsLeft: 0, waiting: 2 }, {
        [`POST ${activityPath}/signups`]: () => {
          state.mine = signup({ status: 'waitlisted', waitPosition: 3 });
          return { status: 201, body: state.mine };
        },
      }),
    );
    render(<VolunteerActivity />);
    fireEvent.click(await screen.findByText('我要候补', btn));
    expect(screen.getByTestId('signup-confirm').textContent).toContain('前面有2人');
    fireEvent.click(screen.getByText('确认候补', btn));
    expect((await screen.findByTestId('signup-notice')).textContent).toBe('已排上候补，第3位。');
    expect((await screen.findByTestId('wait-position')).textContent).toContain('候补第3位');
    expect(screen.getByText('退出候补', btn)).toBeTruthy();
    expect(posts(api.calls, `${activityPath}/signups`)[0]!.headers['Idempotency-Key']).toMatch(KEY);
  });

  it('cancel refused by the API: its own message is shown and the page reloads', async () => {
    const state = { mine: signup() };
    const api = mockApi(
      routes(state, {}, {
        [`POST /api/v1/activities/signups/${volIds.signup}/cancel`]: apiError(409, 'CANCEL_TOO_LATE', '已过取消报名的截止时间，如不能参加请联系组织方'),
      }),
    );
    render(<VolunteerActivity />);
    fireEvent.click(await screen.findByText('取消报名', btn));
    fireEvent.click(within(screen.getByTestId('cancel-confirm')).getByText('确认取消', btn));
    expect((await screen.findByTestId('signup-error')).textContent).toBe('已过取消报名的截止时间，如不能参加请联系组织方');
    const [post] = posts(api.calls, `/api/v1/activities/signups/${volIds.signup}/cancel`);
    expect(post!.headers['Idempotency-Key']).toMatch(KEY);
    await waitFor(() => expect(api.calls.filter((c) => c.path === activityPath).length).toBeGreaterThanOrEqual(2));
  });

  it('past the cutoff there is no 取消 button, only what to do', async () => {
    const soon = new Date(Date.now() + 30 * 60_000);
    mockApi(routes({ mine: signup() }, { startAt: toShanghaiIso(soon), endAt: toShanghaiIso(new Date(soon.getTime() + 3600_000)), signupClosesAt: toShanghaiIso(new Date(Date.now() - 60_000)) }));
    render(<VolunteerActivity />);
    expect((await screen.findByTestId('cancel-too-late')).textContent).toBe('已过取消报名的截止时间，如不能参加请联系组织方');
    expect(screen.queryByText('取消报名', btn)).toBeNull();
  });

  it('signs up a relative who granted 活动报名: only that authority counts, the body carries forResidentId', async () => {
    const state = { mine: null as ReturnType<typeof signup> | null };
    const api = mockApi(
      routes(state, {}, {
        'GET /api/v1/authorities': {
          status: 200,
          body: { given: [], received: [authority(['signups']), authority(['bookings'], { id: 'b'.repeat(24), grantorId: 'b'.repeat(24), grantorName: '李大爷' })] },
        },
        [`POST ${activityPath}/signups`]: (c: Call) => {
          state.mine = signup({ residentId: volIds.grandma, residentName: '刘桂兰', actedByName: '王秀兰' });
          return { status: 201, body: { ...state.mine, _body: c.body } };
        },
      }),
    );
    render(<VolunteerActivity />);
    const who = await screen.findByTestId('sign-for');
    expect(within(who).queryByText('李大爷')).toBeNull();
    fireEvent.click(screen.getByTestId(`sign-for-${volIds.grandma}`));
    await waitFor(() => expect(api.calls.some((c) => c.path === activityPath && new URL(c.url).searchParams.get('forResidentId') === volIds.grandma)).toBe(true));
    fireEvent.click(await screen.findByText('为刘桂兰报名', btn));
    fireEvent.click(screen.getByText('确认报名', btn));
    expect((await screen.findByTestId('signup-notice')).textContent).toBe('已为刘桂兰报上名，对方会收到消息。');
    expect(posts(api.calls, `${activityPath}/signups`)[0]!.body).toEqual({ forResidentId: volIds.grandma });
    // Scans are the relative's own to do on site: no 扫码签到 for someone else.
    expect(screen.queryByTestId('scan-open')).toBeNull();
  });

  it('on the day, 扫码签到 opens the camera and sends the poster id read from the code', async () => {
    const start = new Date(Date.now() - 10 * 60_000);
    const state = { mine: signup() };
    const api = mockApi(
      routes(state, { startAt: toShanghaiIso(start), endAt: toShanghaiIso(new Date(start.getTime() + 2 * 3600_000)), signupClosesAt: toShanghaiIso(new Date(start.getTime() - 3600_000)) }, {
        'POST /api/v1/activities/scan': () => {
          state.mine = signup({ status: 'checked_in', checkInAt: toShanghaiIso(new Date()) });
          return { status: 200, body: { ...state.mine, direction: 'in' } };
        },
      }),
    );
    (Taro.scanCode as jest.Mock).mockResolvedValueOnce({ result: 'http://h5.test/#/volunteer/scan/index?p=AbCdEfGh23', errMsg: 'scanCode:ok' });
    render(<VolunteerActivity />);
    fireEvent.click(await screen.findByText('扫码签到', btn));
    expect((await screen.findByTestId('scan-result')).textContent).toContain('签到成功');
    expect(posts(api.calls, '/api/v1/activities/scan')[0]!.body).toEqual({ poster: 'AbCdEfGh23' });
    expect(await screen.findByText('扫码签退', btn)).toBeTruthy();
  });

  it('a code that is not a poster is refused before anything is sent', async () => {
    const start = new Date(Date.now() - 10 * 60_000);
    const api = mockApi(routes({ mine: signup() }, { startAt: toShanghaiIso(start), endAt: toShanghaiIso(new Date(start.getTime() + 3600_000)) }));
    (Taro.scanCode as jest.Mock).mockResolvedValueOnce({ result: 'https://example.com/shop', errMsg: 'scanCode:ok' });
    render(<VolunteerActivity />);
    fireEvent.click(await screen.findByText('扫码签到', btn));
    expect((await screen.findByTestId('scan-problem')).textContent).toContain('这不是社区活动的签到码');
    expect(posts(api.calls, '/api/v1/activities/scan')).toHaveLength(0);
  });
});

describe('reading a poster code', () => {
  it('takes the bare id, a mini-program path, a URL with p=, and WeChat’s scene', () => {
    expect(posterIdOf('AbCdEfGh23')).toBe('AbCdEfGh23');
    expect(posterIdOf('volunteer/scan/index?p=AbCdEfGh23')).toBe('AbCdEfGh23');
    expect(posterIdOf('https://community.example/#/volunteer/scan/index?p=AbCdEfGh23&x=1')).toBe('AbCdEfGh23');
    expect(posterIdOf('volunteer/scan/index?scene=AbCdEfGh23')).toBe('AbCdEfGh23');
    expect(posterIdOf(`?q=${encodeURIComponent('https://community.example/#/volunteer/scan/index?p=AbCdEfGh23')}`)).toBe('AbCdEfGh23');
    expect(posterIdOf('AbCdEfGh2')).toBeNull();
    expect(posterIdOf('https://example.com/?p=short')).toBeNull();
    expect(posterIdOf('')).toBeNull();
  });
});
