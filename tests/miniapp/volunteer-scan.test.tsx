import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { residentMe, signup } from './support/volunteer';
import { formatMonthDayTime } from '../../miniapp/src/services/format';
import VolunteerScan from '../../miniapp/src/volunteer/scan/index';

const scans = (calls: Call[]) => calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/activities/scan');

describe('the poster’s scan page', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('a WeChat code’s scene (URL-encoded) is the poster: one scan, 签到成功 in big text', async () => {
    routerParams.current = { scene: encodeURIComponent('AbCdEfGh23') };
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/activities/scan': { status: 200, body: { ...signup({ status: 'checked_in', checkInAt: '2026-11-28T08:55:00+08:00' }), direction: 'in' } },
    });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe('签到成功');
    expect(screen.getByTestId('scan-result').textContent).toContain('河滨公园清洁');
    expect(screen.getByTestId('scan-result').className).toContain('scan-result--ok');
    expect(scans(api.calls)).toHaveLength(1);
    expect(scans(api.calls)[0]!.body).toEqual({ poster: 'AbCdEfGh23' });
    expect(scans(api.calls)[0]!.headers.Authorization).toBe('Bearer access-1');
  });

  it('the H5 link’s p=: the second scan says 签退成功 and the hours of this time', async () => {
    routerParams.current = { p: 'AbCdEfGh23' };
    mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/activities/scan': { status: 200, body: { ...signup({ status: 'checked_out', scannedMinutes: 95 }), direction: 'out' } },
    });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe('签退成功');
    expect(screen.getByTestId('scan-hours').textContent).toBe('本次服务 1.6 小时');
  });

  it.each([
    ['POSTER_EXPIRED', 409, '这张签到码已经失效，请扫描活动现场最新的签到码'],
    ['SCAN_OUTSIDE_WINDOW', 409, '签到时间是11-28 08:30到11-28 11:30'],
    ['NOT_SIGNED_UP', 403, '您没有报名这个活动，不能签到'],
  ])('%s: the API’s own words, in big text, and no retry', async (code, status, message) => {
    routerParams.current = { p: 'AbCdEfGh23' };
    mockApi({ 'GET /api/v1/me': residentMe, 'POST /api/v1/activities/scan': apiError(status, code, message) });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe(message);
    expect(screen.getByTestId('scan-result').className).toContain('scan-result--bad');
    expect(screen.getByTestId('scan-result').getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('scan-retry')).toBeNull();
  });

  it('a scan after 签退 says plainly it is already done, calmly (not an alarm), and offers nothing to retry', async () => {
    routerParams.current = { p: 'AbCdEfGh23' };
    const message = '您已经在11月28日 11:02签退过了，这次活动不用再扫码。时长等组织方确认后会记到您的名下。';
    const api = mockApi({ 'GET /api/v1/me': residentMe, 'POST /api/v1/activities/scan': apiError(409, 'ALREADY_CHECKED_OUT', message, { checkOutAt: '2026-11-28T11:02:00+08:00' }) });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe('您已经签退过了');
    // The time once, in the detail; the title is not said twice.
    expect(screen.getByTestId('scan-result').textContent).toContain(`签退时间：${formatMonthDayTime('2026-11-28T11:02:00+08:00')}。这次活动不用再扫码，时长等组织方确认后会记到您的名下。`);
    expect(screen.getByTestId('scan-result').textContent).not.toContain('您已经在');
    expect(screen.getByTestId('scan-result').getAttribute('role')).toBe('status');
    expect(screen.queryByTestId('scan-retry')).toBeNull();
    expect(scans(api.calls)).toHaveLength(1);
  });

  it('a network failure offers 再试一次, which scans again', async () => {
    routerParams.current = { p: 'AbCdEfGh23' };
    let fail = true;
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/activities/scan': () => {
        if (fail) {
          fail = false;
          return 'network-error';
        }
        return { status: 200, body: { ...signup({ status: 'checked_in' }), direction: 'in' } };
      },
    });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe('网络不太好，请检查网络后再试');
    fireEvent.click(screen.getByTestId('scan-retry'));
    await waitFor(() => expect(screen.getByTestId('scan-title').textContent).toBe('签到成功'));
    expect(scans(api.calls)).toHaveLength(2);
  });

  it('no poster in the link: says so and sends nothing', async () => {
    routerParams.current = { p: 'nope' };
    const api = mockApi({ 'GET /api/v1/me': residentMe });
    render(<VolunteerScan />);
    expect((await screen.findByTestId('scan-title')).textContent).toBe('没有认出签到码');
    expect(scans(api.calls)).toHaveLength(0);
    fireEvent.click(screen.getByTestId('scan-mine'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/volunteer/me/index' });
  });
});
