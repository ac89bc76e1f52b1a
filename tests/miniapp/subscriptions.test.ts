import { askForBookingNotices } from '../../miniapp/src/services/subscriptions';
import { mockApi } from './support/http';

const templates = { bookingResult: 'tpl-result', bookingReminder: 'tpl-reminder' };

describe('asking for WeChat booking notices', () => {
  it('in WeChat, records only the templates the person allowed', async () => {
    const { calls } = mockApi({ 'POST /api/v1/subscriptions': { status: 200, body: { credits: { 'tpl-result': 1 } } } });
    const prompt = jest.fn().mockResolvedValue({ 'tpl-result': 'accept', 'tpl-reminder': 'reject', errMsg: 'requestSubscribeMessage:ok' });
    const accepted = await askForBookingNotices(templates, { platform: 'weapp', elderly: false, prompt });
    expect(prompt).toHaveBeenCalledWith(['tpl-result', 'tpl-reminder']);
    expect(accepted).toEqual(['tpl-result']);
    expect(calls.filter((c) => c.path === '/api/v1/subscriptions').map((c) => c.body)).toEqual([{ accepted: ['tpl-result'] }]);
  });

  it('asks nothing in H5, in 长辈版 (no pop-ups), or before the templates are known', async () => {
    const prompt = jest.fn();
    expect(await askForBookingNotices(templates, { platform: 'h5', elderly: false, prompt })).toEqual([]);
    expect(await askForBookingNotices(templates, { platform: 'weapp', elderly: true, prompt })).toEqual([]);
    expect(await askForBookingNotices(null, { platform: 'weapp', elderly: false, prompt })).toEqual([]);
    expect(prompt).not.toHaveBeenCalled();
  });

  it('treats a refusal of the prompt itself as no consent, without failing the booking', async () => {
    const prompt = jest.fn().mockRejectedValue(new Error('requestSubscribeMessage:fail cancel'));
    await expect(askForBookingNotices(templates, { platform: 'weapp', elderly: false, prompt })).resolves.toEqual([]);
  });
});
