import { formatArea, maskPhone, parseArea, staffLoginBody, bindingRequestBody } from '@community/shared';

describe('area arithmetic stays in integers', () => {
  it('parses text to 0.01 m² without float rounding', () => {
    expect(parseArea('89.5')).toBe(8950);
    expect(parseArea('89.50')).toBe(8950);
    expect(parseArea('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floats
    expect(parseArea('120')).toBe(12000);
    expect(parseArea('1.234')).toBeNull();
    expect(parseArea('-3')).toBeNull();
    expect(parseArea('abc')).toBeNull();
  });

  it('formats back with two decimals', () => {
    expect(formatArea(8950)).toBe('89.50 ㎡');
    expect(formatArea(5)).toBe('0.05 ㎡');
  });
});

describe('phone masking', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
  });
});

describe('shared schemas speak Chinese', () => {
  it('rejects unknown fields and wrong types with Chinese messages', () => {
    const result = staffLoginBody.safeParse({ username: { $gt: '' }, password: 'x', extra: 1 });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message).join(' ');
    expect(messages).toMatch(/请填写用户名/);
    expect(messages).toMatch(/未知/);
  });

  it('requires a real name made of Han characters or letters', () => {
    const base = { roomId: 'a'.repeat(24), relation: 'owner' };
    expect(bindingRequestBody.safeParse({ ...base, realName: '王秀英' }).success).toBe(true);
    expect(bindingRequestBody.safeParse({ ...base, realName: '<script>' }).success).toBe(false);
    expect(bindingRequestBody.safeParse({ ...base, realName: '王'.repeat(100000) }).success).toBe(false);
  });
});

describe('statsQuery dates', () => {
  it('refuses text that is not a date with a message, not an exception', async () => {
    const { statsQuery } = await import('../../shared/src/schemas/booking');
    const bad = statsQuery.safeParse({ from: '2026/11/01', to: '2026-11-30' });
    expect(bad.success).toBe(false);
    expect(statsQuery.safeParse({ from: '2026-02-30', to: '2026-03-01' }).success).toBe(false);
    expect(statsQuery.safeParse({ from: '2026-02-28', to: '2026-03-01' }).success).toBe(true);
  });
});
