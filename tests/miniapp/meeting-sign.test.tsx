import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { apiError, mockApi, type Call } from './support/http';
import { resetAppState, signIn } from './support/reset';
import { routerParams } from './support/taro';
import { meeting, mtgIds, residentMe } from './support/meetings';
import { elderlyStore } from '../../miniapp/src/store/elderly';
import { meetingCodeOf } from '../../miniapp/src/vote/meetingParts';
import MeetingSign from '../../miniapp/src/vote/meeting-sign/index';

const signIns = (calls: Call[]) => calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/meetings/sign-in');
const CODE = 'AbCdEfGh23';

describe('the poster’s sign-in page', () => {
  beforeEach(() => {
    resetAppState();
    signIn();
  });
  afterEach(() => {
    routerParams.current = {};
  });

  it('reads the code from c=, WeChat’s scene and a wrapped URL', () => {
    expect(meetingCodeOf({ c: CODE })).toBe(CODE);
    expect(meetingCodeOf({ scene: encodeURIComponent(`c=${CODE}`) })).toBe(CODE);
    expect(meetingCodeOf({ scene: CODE })).toBe(CODE);
    expect(meetingCodeOf({ q: encodeURIComponent(`https://h5.example.cn/#/vote/meeting-sign/index?c=${CODE}`) })).toBe(CODE);
    expect(meetingCodeOf({ c: 'short' })).toBeNull();
    expect(meetingCodeOf({})).toBeNull();
  });

  it('signs in once with the code and says 签到成功 with the meeting’s name and 实到/应到', async () => {
    routerParams.current = { c: CODE };
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/meetings/sign-in': { status: 200, body: meeting({ present: 5, quorumMet: true, me: { member: true, signedInAt: new Date().toISOString() } }) },
    });
    render(<MeetingSign />);
    expect(screen.getByText('正在签到…')).toBeTruthy();
    expect((await screen.findByTestId('sign-title')).textContent).toBe('签到成功');
    expect(screen.getByTestId('sign-meeting').textContent).toBe('12月居民议事会');
    expect(screen.getByTestId('sign-attendance-present').textContent).toBe('5');
    expect(screen.getByTestId('sign-attendance-expected').textContent).toBe('9');
    expect(screen.getByTestId('sign-attendance-quorum').textContent).toContain('已过半数');
    expect(screen.getByTestId('sign-result').className).toContain('mtg-sign--ok');
    expect(signIns(api.calls)).toHaveLength(1);
    expect(signIns(api.calls)[0]!.body).toEqual({ code: CODE });
    expect(signIns(api.calls)[0]!.headers.Authorization).toBe('Bearer access-1');
    fireEvent.click(screen.getByTestId('sign-open-meeting'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/vote/meeting/index?id=${mtgIds.meeting}` });
  });

  it('scanning again later: the API answers with the first sign-in, and the page says it is already done', async () => {
    routerParams.current = { c: CODE };
    mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/meetings/sign-in': { status: 200, body: meeting({ me: { member: true, signedInAt: new Date(Date.now() - 20 * 60_000).toISOString() } }) },
    });
    render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe('您已经签到了');
    expect(screen.getByTestId('sign-result').textContent).toContain('不用再扫了');
  });

  it.each([
    ['NOT_COUNCIL_MEMBER', 403, '您不是这次议事会的成员，不用签到；欢迎旁听', 'mtg-sign--calm', '可以在“议事会”里看'],
    ['MEETING_SIGN_IN_CLOSED', 409, '现在不在签到时间内（会议开始前1小时到会议结束）', 'mtg-sign--calm', '请再扫一次'],
    ['MEETING_CODE_INVALID', 404, '这张签到码已经失效了，请扫描会场现在贴着的签到码', 'mtg-sign--bad', '代签到'],
    ['MEETING_CANCELLED', 409, '这次议事会已经取消了', 'mtg-sign--calm', '取消的原因'],
  ])('%s: the API’s own words in big text, what to do, and no retry', async (code, status, message, cls, next) => {
    routerParams.current = { c: CODE };
    mockApi({ 'GET /api/v1/me': residentMe, 'POST /api/v1/meetings/sign-in': apiError(status, code, message) });
    render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe(message);
    expect(screen.getByTestId('sign-result').className).toContain(cls);
    expect(screen.getByTestId('sign-detail').textContent).toContain(next);
    expect(screen.queryByTestId('sign-retry')).toBeNull();
  });

  it('a network failure offers 再试一次, which signs in again', async () => {
    routerParams.current = { c: CODE };
    let fail = true;
    const api = mockApi({
      'GET /api/v1/me': residentMe,
      'POST /api/v1/meetings/sign-in': () => {
        if (fail) {
          fail = false;
          return 'network-error';
        }
        return { status: 200, body: meeting({ me: { member: true, signedInAt: new Date().toISOString() } }) };
      },
    });
    render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe('网络不太好，请检查网络后再试');
    fireEvent.click(screen.getByTestId('sign-retry'));
    await waitFor(() => expect(screen.getByTestId('sign-title').textContent).toBe('签到成功'));
    expect(signIns(api.calls)).toHaveLength(2);
  });

  it('opened without a session (the browser): asks to log in first, sends nothing', async () => {
    resetAppState();
    routerParams.current = { c: CODE };
    const api = mockApi({});
    render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe('请先登录');
    expect(screen.getByTestId('sign-result').textContent).toContain('登录以后会回到这里');
    expect(signIns(api.calls)).toHaveLength(0);
    window.location.hash = `#/vote/meeting-sign/index?c=${CODE}`;
    fireEvent.click(screen.getByTestId('sign-login'));
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index?back=1' });
    // The login page brings the person back to this link.
    expect(JSON.parse(Taro.getStorageSync('loginReturnTo')).url).toBe(`/vote/meeting-sign/index?c=${CODE}`);
    window.location.hash = '';
  });

  it('no code in the link: says so and sends nothing', async () => {
    routerParams.current = { c: 'nope' };
    const api = mockApi({ 'GET /api/v1/me': residentMe });
    render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe('没有认出签到码');
    expect(signIns(api.calls)).toHaveLength(0);
  });

  it('长辈版: no pop-ups, the result is in the page, the buttons are big', async () => {
    elderlyStore.set(true);
    routerParams.current = { c: CODE };
    const showModal = jest.spyOn(Taro, 'showModal');
    mockApi({ 'GET /api/v1/me': residentMe, 'POST /api/v1/meetings/sign-in': { status: 200, body: meeting({ me: { member: true, signedInAt: new Date().toISOString() } }) } });
    const { container } = render(<MeetingSign />);
    expect((await screen.findByTestId('sign-title')).textContent).toBe('签到成功');
    expect(container.querySelector('.shell--elderly')).not.toBeNull();
    expect(screen.getByTestId('sign-open-meeting').classList.contains('tap')).toBe(true);
    expect(showModal).not.toHaveBeenCalled();
    expect(Taro.showToast).not.toHaveBeenCalled();
    showModal.mockRestore();
  });
});
