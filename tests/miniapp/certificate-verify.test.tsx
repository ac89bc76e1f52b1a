import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { certificateParams } from '@community/shared';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import CertificateVerify from '../../miniapp/src/volunteer/verify/index';

const SERIAL = 'ZYFW-2026-000123';
const path = `/api/v1/certificates/${SERIAL}`;
const btn = { selector: '.btn__text' } as const;

function verification(over: Record<string, unknown> = {}) {
  return {
    serial: SERIAL,
    status: 'valid',
    statusText: '有效',
    name: '王*英',
    issuedOn: '2026-11-27',
    issuer: '滨河社区新时代文明实践站',
    totalMinutes: 165,
    totalHours: 2.75,
    serviceCount: 2,
    services: [
      { date: '2026-11-20', activityTitle: '河道清洁志愿服务', organiser: '滨河社区新时代文明实践站', minutes: 120 },
      { date: '2026-11-25', activityTitle: '敬老院探访', organiser: '滨河社区新时代文明实践站', minutes: 45 },
    ],
    revokedOn: null,
    revokedReason: null,
    ...over,
  };
}

const asked = (calls: Call[]) => calls.filter((c) => c.path.startsWith('/api/v1/certificates/'));

describe('志愿服务记录证明核验 (public)', () => {
  beforeEach(() => resetAppState());
  afterEach(() => {
    routerParams.current = {};
  });

  it('opened from the printed link while signed out: 有效, the masked holder, totals and each service; no login asked, no token sent', async () => {
    routerParams.current = { serial: SERIAL };
    const api = mockApi({ [`GET ${path}`]: { status: 200, body: verification() } });
    render(<CertificateVerify />);
    expect((await screen.findByTestId('verify-status-title')).textContent).toBe('有效');
    expect(screen.getByTestId('verify-status').className).toContain('verify-status--valid');
    expect(screen.getByTestId('verify-status-detail').textContent).toBe('这份证明由滨河社区新时代文明实践站出具，真实有效。');
    expect(screen.getByTestId('verify-name').textContent).toContain('王*英');
    expect(screen.getByTestId('verify-hours').textContent).toContain('2.75小时');
    const services = screen.getAllByTestId('verify-service').map((el) => el.textContent);
    expect(services).toEqual(['1. 河道清洁志愿服务2026年11月20日 · 滨河社区新时代文明实践站 · 2小时', '2. 敬老院探访2026年11月25日 · 滨河社区新时代文明实践站 · 0.75小时']);
    expect(asked(api.calls)).toHaveLength(1);
    expect(asked(api.calls)[0]!.headers.Authorization).toBeUndefined();
    expect(api.calls.some((c) => c.path.startsWith('/api/v1/auth') || c.path === '/api/v1/me')).toBe(false);
    for (const go of [Taro.redirectTo, Taro.reLaunch, Taro.navigateTo]) expect(go).not.toHaveBeenCalled();
  });

  it('a revoked certificate says 已撤销 in red words, with the date and the reason', async () => {
    routerParams.current = { serial: SERIAL.toLowerCase() };
    mockApi({ [`GET ${path}`]: { status: 200, body: verification({ status: 'revoked', statusText: '已撤销', revokedOn: '2026-11-28', revokedReason: '服务时长登记有误，已重新出具' }) } });
    render(<CertificateVerify />);
    expect((await screen.findByTestId('verify-status-title')).textContent).toBe('已撤销');
    expect(screen.getByTestId('verify-status').className).toContain('verify-status--revoked');
    expect(screen.getByTestId('verify-status-detail').textContent).toBe('这份证明已于2026年11月28日撤销，不再有效。撤销原因：服务时长登记有误，已重新出具');
    expect(screen.queryByText('有效')).toBeNull();
  });

  it('signed in, it still sends no token (the answer is the same for everyone)', async () => {
    signIn();
    routerParams.current = { serial: SERIAL };
    const api = mockApi({ [`GET ${path}`]: { status: 200, body: verification() } });
    render(<CertificateVerify />);
    await screen.findByTestId('verify-status-title');
    expect(asked(api.calls)[0]!.headers.Authorization).toBeUndefined();
  });

  it('without a serial: a typed one is checked by the shared rule first, then looked up; an unknown one is said plainly', async () => {
    const api = mockApi({ [`GET ${path}`]: apiError(404, 'NOT_FOUND', '没有找到这个编号的志愿服务记录证明') });
    render(<CertificateVerify />);
    expect(asked(api.calls)).toHaveLength(0);
    fireEvent.input(screen.getByTestId('verify-serial-input'), { target: { value: 'ZYFW-26-1' } });
    fireEvent.click(screen.getByText('核验', btn));
    expect((await screen.findByTestId('verify-serial-error')).textContent).toBe(certificateParams.safeParse({ serial: 'ZYFW-26-1' }).error!.issues[0]!.message);
    expect(asked(api.calls)).toHaveLength(0);

    fireEvent.input(screen.getByTestId('verify-serial-input'), { target: { value: SERIAL.toLowerCase() } });
    fireEvent.click(screen.getByText('核验', btn));
    expect((await screen.findByTestId('verify-error')).textContent).toBe(`没有找到编号为 ${SERIAL} 的志愿服务记录证明。请核对证明右上角的编号；这份证明可能不是本社区出具的。`);
    expect(asked(api.calls).map((c) => c.path)).toEqual([path]);
    expect(screen.queryByTestId('verify-retry')).toBeNull();
  });

  it('a network failure offers 再试一次, which asks again', async () => {
    routerParams.current = { serial: SERIAL };
    let fail = true;
    const api = mockApi({
      [`GET ${path}`]: () => {
        if (fail) return 'network-error';
        return { status: 200, body: verification() };
      },
    });
    render(<CertificateVerify />);
    const retry = await screen.findByTestId('verify-retry');
    expect(screen.getByTestId('verify-error').textContent).toBe('网络不太好，请检查网络后再试');
    fail = false;
    fireEvent.click(retry);
    expect((await screen.findByTestId('verify-status-title')).textContent).toBe('有效');
    expect(asked(api.calls)).toHaveLength(2);
  });

  it('in 长辈版 the page carries the large-print shell', async () => {
    elderlyStore.set(true);
    routerParams.current = { serial: SERIAL };
    mockApi({ [`GET ${path}`]: { status: 200, body: verification() } });
    const { container } = render(<CertificateVerify />);
    await screen.findByTestId('verify-status-title');
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
  });
});
