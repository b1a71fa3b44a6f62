import { centsToAmount } from './money';

describe('centsToAmount', () => {
  it('formats cents from either driver exactly', () => {
    expect(centsToAmount(30)).toBe('0.30');
    expect(centsToAmount('100000000000001')).toBe('1000000000000.01');
    expect(centsToAmount('12345.0000')).toBe('123.45');
    expect(centsToAmount(null)).toBe('0.00');
    expect(centsToAmount(-5)).toBe('-0.05');
  });
});
