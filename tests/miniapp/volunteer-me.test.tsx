import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { volunteerProfileBody } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { mockApiWithDownloads, captureSaves } from './support/download';
import { resetAppState, signIn } from './support/reset';
import { redemption, residentMe, reward, signup, volIds } from './support/volunteer';
import { qrMatrix } from '../../miniapp/src/booking/QrCode';
import Me from '../../miniapp/src/pages/me/index';
import VolunteerMePage from '../../miniapp/src/volunteer/me/index';
import VolunteerProfilePage from '../../miniapp/src/volunteer/profile/index';
import VolunteerRewards from '../../miniapp/src/volunteer/rewards/index';
import VolunteerLeaderboard from '../../miniapp/src/volunteer/leaderboard/index';

const KEY = /^[A-Za-z0-9]{16,128}$/;
const btn = { selector: '.btn__text' } as const;
const posts = (calls: Call[], path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const type = (testId: string, value: string) => fireEvent.input(screen.getByTestId(testId), { target: { value } });

const entry = (over: Record<string, unknown>) => ({ id: 'x', amount: 0, reason: '', byName: '孙晓燕', activityTitle: null, at: '2026-11-20T11:05:00+08:00', ...over });
const ledger = {
  minutes: 170,
  points: 28,
  hoursLedger: [
    entry({ id: 'h2', amount: -10, reason: '忘了签退，按实际时间', activityTitle: '河滨公园清洁', at: '2026-11-21T12:00:00+08:00' }),
    entry({ id: 'h1', amount: 180, reason: '按签到签退时间确认', activityTitle: '河滨公园清洁' }),
  ],
  pointsLedger: [
    entry({ id: 'p2', amount: -50, reason: '兑换「环保布袋」', byName: '王秀兰', at: '2026-11-22T09:00:00+08:00' }),
    entry({ id: 'p1', amount: 78, reason: '志愿服务时长', activityTitle: '河滨公园清洁' }),
  ],
  signups: [signup({ status: 'checked_out', scannedMinutes: 180, confirmedMinutes: 170 }), signup({ id: volIds.signup2, activityTitle: '防诈骗讲座', status: 'waitlisted', waitPosition: 2 })],
};

describe('我的志愿: balances, both ledgers, sign-ups, pickup codes', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('hours in one decimal and points; each ledger entry with its sign, reason, who and when', async () => {
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/volunteers/me': { status: 200, body: ledger },
      'GET /api/v1/rewards/redemptions/mine': { status: 200, body: { items: [redemption(), redemption({ id: 'e'.repeat(24), pickupCode: 'ABCD2345', status: 'handed_over', handedOverAt: '2026-11-23T10:00:00+08:00' })] } },
      'GET /api/v1/certificates/mine': apiError(404, 'ROUTE_NOT_FOUND', '没有这个接口'),
    });
    render(<VolunteerMePage />);
    expect((await screen.findByTestId('vol-hours')).textContent).toBe('2.8');
    expect(screen.getByTestId('vol-points').textContent).toBe('28');

    const mine = screen.getAllByTestId('my-signup');
    expect(mine[0]!.textContent).toContain('已签退');
    expect(mine[0]!.textContent).toContain('已确认2.8小时');
    expect(mine[1]!.textContent).toContain('候补第2位');

    fireEvent.click(screen.getByTestId('me-tabs-hours'));
    const hours = within(await screen.findByTestId('hours-ledger')).getAllByTestId('ledger-entry');
    expect(hours[0]!.textContent).toContain('−0.2小时');
    expect(hours[0]!.textContent).toContain('忘了签退，按实际时间');
    expect(hours[0]!.textContent).toContain('孙晓燕');
    expect(hours[0]!.textContent).toContain('2026年11月21日 12:00');
    expect(hours[1]!.textContent).toContain('+3.0小时');

    fireEvent.click(screen.getByTestId('me-tabs-points'));
    const points = within(await screen.findByTestId('points-ledger')).getAllByTestId('ledger-entry');
    expect(points[0]!.textContent).toContain('−50积分');
    expect(points[0]!.textContent).toContain('兑换「环保布袋」');
    expect(points[1]!.textContent).toContain('+78积分');

    // The pending pickup code: large and as a QR code of the same text; the handed-over one is not.
    const pickups = screen.getAllByTestId('pickup');
    expect(pickups).toHaveLength(1);
    expect(within(pickups[0]!).getByTestId('pickup-code').textContent).toBe('K7M2Q9XA');
    expect(within(pickups[0]!).getByTestId('pickup-qr').getAttribute('data-modules')).toBe(String(qrMatrix('K7M2Q9XA').length));
    fireEvent.click(screen.getByTestId('me-tabs-redemptions'));
    expect(screen.getAllByTestId('redemption')[1]!.textContent).toContain('已领取');
    // No certificate API: no section.
    expect(screen.queryByTestId('certificates')).toBeNull();
  });

  it('我的 links to 我的志愿 and 志愿者资料', async () => {
    mockApi({ 'GET /api/v1/me': residentMe, 'GET /api/v1/inbox/unread-count': { status: 200, body: { unread: 0 } } });
    render(<Me />);
    fireEvent.click(await screen.findByTestId('me-volunteer'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/volunteer/me/index' });
    fireEvent.click(screen.getByTestId('me-volunteer-profile'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/volunteer/profile/index' });
  });

  it('申请志愿服务证明: issued with a key, listed, and its PDF downloaded with the token', async () => {
    let issued = false;
    const cert = {
      serial: 'ZYFW-2026-000123',
      status: 'valid',
      issuedAt: '2026-11-27T10:00:00+08:00',
      issuer: '滨河社区居民委员会',
      totalMinutes: 170,
      serviceCount: 1,
      idNumberMasked: '6201**********1234',
      revokedAt: null,
      revokedReason: null,
      verifyUrl: 'http://api.test/api/v1/certificates/ZYFW-2026-000123',
      downloadUrl: '/api/v1/certificates/ZYFW-2026-000123/pdf',
    };
    const m = mockApiWithDownloads(
      {
        'GET /api/v1/me': residentMe,
        'GET /api/v1/volunteers/me': { status: 200, body: ledger },
        'GET /api/v1/rewards/redemptions/mine': { status: 200, body: { items: [] } },
        'GET /api/v1/certificates/mine': () => ({ status: 200, body: { items: issued ? [cert] : [] } }),
        'POST /api/v1/certificates': () => {
          issued = true;
          return { status: 201, body: { serial: cert.serial, verifyUrl: cert.verifyUrl, downloadUrl: cert.downloadUrl, issuedAt: cert.issuedAt, totalMinutes: 170, serviceCount: 1, created: true } };
        },
      },
      { [`GET ${cert.downloadUrl}`]: () => ({ bytes: new Uint8Array([0x25, 0x50, 0x44, 0x46]), contentType: 'application/pdf' }) },
    );
    const saves = captureSaves();
    try {
      render(<VolunteerMePage />);
      fireEvent.click(await screen.findByText('申请志愿服务证明', btn));
      expect((await screen.findByTestId('certificate-notice')).textContent).toBe('证明已开具，编号 ZYFW-2026-000123。');
      expect(posts(m.calls, '/api/v1/certificates')[0]!.headers['Idempotency-Key']).toMatch(KEY);
      const row = await screen.findByTestId('certificate');
      expect(row.textContent).toContain('有效');
      expect(row.textContent).toContain('2.8小时');
      fireEvent.click(within(row).getByText('下载证明（PDF）', btn));
      await waitFor(() => expect(saves.saved).toHaveLength(1));
      expect(saves.saved[0]!.filename).toBe('志愿服务记录证明_ZYFW-2026-000123.pdf');
      expect(m.calls.find((c) => c.path === cert.downloadUrl)!.headers.Authorization).toBe('Bearer access-1');
    } finally {
      saves.restore();
    }
  });
});

describe('志愿者资料: the ID number checked by the shared rule', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('refuses a wrong check digit beside the field, then saves; a blank ID keeps the one given before', async () => {
    const puts: unknown[] = [];
    mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/volunteers/me/profile': { status: 200, body: { profile: { realName: '王秀兰', idNumberMasked: '6201**********1234', skills: ['摄影摄像'], availability: ['weekend_day'] } } },
      'PUT /api/v1/volunteers/me/profile': (c: Call) => {
        puts.push(c.body);
        const b = c.body as { realName: string; skills: string[]; availability: string[] };
        return { status: 200, body: { realName: b.realName, idNumberMasked: '1101**********001X', skills: b.skills, availability: b.availability } };
      },
    });
    render(<VolunteerProfilePage />);
    expect(await screen.findByText('只用于开具志愿服务记录证明、核对有年龄要求的活动，其他地方只显示首尾。')).toBeTruthy();
    expect(screen.getByText('已填写：6201**********1234')).toBeTruthy();
    expect((screen.getByTestId('profile-skills-摄影摄像') as HTMLElement).getAttribute('aria-checked')).toBe('true');

    type('profile-id-input', '110101199003070012');
    fireEvent.click(screen.getByText('保存', btn));
    const wrong = volunteerProfileBody.safeParse({ realName: '王秀兰', idNumber: '110101199003070012' });
    expect(wrong.success).toBe(false);
    expect((await screen.findByTestId('profile-id-error')).textContent).toBe(wrong.error!.issues[0]!.message);
    expect(puts).toHaveLength(0);

    type('profile-id-input', '11010119900307002x');
    fireEvent.click(screen.getByTestId('profile-skills-医疗护理'));
    fireEvent.click(screen.getByTestId('profile-availability-weekday_evening'));
    type('profile-skill-input', '理发');
    fireEvent.click(screen.getByText('添加', btn));
    fireEvent.click(screen.getByText('保存', btn));
    expect((await screen.findByTestId('profile-saved')).textContent).toBe('已保存。');
    expect(puts[0]).toEqual({
      realName: '王秀兰',
      idNumber: '11010119900307002X',
      skills: ['摄影摄像', '医疗护理', '理发'],
      availability: ['weekend_day', 'weekday_evening'],
    });

    // Saved again with the ID left blank: the body has none, so the API keeps the one it has.
    fireEvent.click(screen.getByText('保存', btn));
    await waitFor(() => expect(puts).toHaveLength(2));
    expect(puts[1]).not.toHaveProperty('idNumber');
  });
});

describe('积分超市: redeem after an inline confirmation', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  function routes(points: number, redeem: (c: Call) => ReturnType<typeof apiError> | { status: number; body: unknown }) {
    return {
      'GET /api/v1/me': residentMe,
      'GET /api/v1/rewards': { status: 200, body: { items: [reward(), reward({ id: volIds.reward2, title: '保温杯', pointsPrice: 300, left: 3 })] } },
      'GET /api/v1/volunteers/me': { status: 200, body: { ...ledger, points } },
      [`POST /api/v1/rewards/${volIds.reward}/redeem`]: redeem,
    };
  }

  it('shows price and what is left; 兑换 asks, then the pickup code comes large and as a QR code', async () => {
    const api = mockApi(routes(120, () => ({ status: 201, body: redemption() })));
    render(<VolunteerRewards />);
    const items = await screen.findAllByTestId('reward');
    expect(items[0]!.textContent).toContain('50积分');
    expect(within(items[0]!).getByTestId('reward-left').textContent).toBe('还剩12件');
    // Not enough points for the cup: no button, what is missing instead.
    expect(items[1]!.textContent).toContain('还差180积分');
    expect(within(items[1]!).queryByText('兑换', btn)).toBeNull();

    fireEvent.click(within(items[0]!).getByText('兑换', btn));
    expect(posts(api.calls, `/api/v1/rewards/${volIds.reward}/redeem`)).toHaveLength(0);
    fireEvent.click(within(screen.getByTestId('redeem-confirm')).getByText('确认兑换', btn));
    const done = await screen.findByTestId('redeem-done');
    expect(within(done).getByTestId('pickup-code').textContent).toBe('K7M2Q9XA');
    expect(within(done).getByTestId('pickup-qr').querySelectorAll('.qr__row')).toHaveLength(qrMatrix('K7M2Q9XA').length);
    expect(posts(api.calls, `/api/v1/rewards/${volIds.reward}/redeem`)[0]!.headers['Idempotency-Key']).toMatch(KEY);
  });

  it.each([
    ['POINTS_NOT_ENOUGH', '需要50积分，您现在有30积分'],
    ['OUT_OF_STOCK', '这件物品已经兑完了'],
  ])('%s: the API’s message beside the item, and the shelf is read again', async (code, message) => {
    const api = mockApi(routes(120, () => apiError(409, code, message)));
    render(<VolunteerRewards />);
    fireEvent.click(within((await screen.findAllByTestId('reward'))[0]!).getByText('兑换', btn));
    fireEvent.click(screen.getByText('确认兑换', btn));
    expect((await screen.findByTestId('redeem-error')).textContent).toBe(message);
    await waitFor(() => expect(api.calls.filter((c) => c.path === '/api/v1/rewards')).toHaveLength(2));
  });
});

describe('排行榜', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });

  it('本月 and 累计 ask for their period; masked names; my rank', async () => {
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'GET /api/v1/leaderboard': (c: Call) =>
        new URL(c.url).searchParams.get('period') === 'all'
          ? { status: 200, body: { period: 'all', month: null, items: [{ rank: 1, name: '刘*兰', minutes: 600, mine: false }], mine: { rank: null, minutes: 0 } } }
          : {
              status: 200,
              body: {
                period: 'month',
                month: '2026-11',
                items: [
                  { rank: 1, name: '王*兰', minutes: 240, mine: true },
                  { rank: 2, name: '李*', minutes: 90, mine: false },
                ],
                mine: { rank: 1, minutes: 240 },
              },
            },
    });
    render(<VolunteerLeaderboard />);
    expect((await screen.findByTestId('my-rank')).textContent).toContain('第1名，4.0小时');
    expect(screen.getByTestId('my-rank').textContent).toContain('2026年11月');
    const ranks = screen.getAllByTestId('rank');
    expect(ranks[0]!.textContent).toContain('王*兰（我）');
    expect(ranks[1]!.textContent).toContain('李*');
    expect(ranks[1]!.textContent).toContain('1.5小时');

    fireEvent.click(screen.getByTestId('board-tabs-all'));
    await waitFor(() => expect(screen.getByTestId('my-rank').textContent).toContain('还没有确认的时长'));
    expect(screen.getAllByTestId('rank')[0]!.textContent).toContain('刘*兰');
    expect(api.calls.filter((c) => c.path === '/api/v1/leaderboard').map((c) => new URL(c.url).searchParams.get('period'))).toEqual(['month', 'all']);
  });
});
