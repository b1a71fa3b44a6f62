import { isValidTin, normalizeCompanyName, normalizeDomain, normalizeEmail, normalizePhone } from './matching-keys';

describe('matching keys', () => {
  describe('normalizeDomain', () => {
    it.each([
      ['https://www.Acme.com/about', 'acme.com'],
      ['acme.com', 'acme.com'],
      ['HTTP://WWW.ACME.COM', 'acme.com'],
      ['www.acme.com:8080/path?q=1#top', 'acme.com'],
      ['  https://user:pw@shop.acme.co.uk/  ', 'shop.acme.co.uk'],
      ['acme.com.', 'acme.com'],
      ['//cdn.acme.com/x', 'cdn.acme.com'],
      ['https://www.acme.com?ref=ad', 'acme.com'],
    ])('%s → %s', (input, expected) => {
      expect(normalizeDomain(input)).toBe(expected);
    });

    it('keeps sub-domains other than www apart', () => {
      expect(normalizeDomain('https://shop.acme.com')).not.toBe(normalizeDomain('https://acme.com'));
    });

    it.each(['', '   ', 'acme', 'not a site', 'https://', 'http://-acme-.com', null, undefined])('refuses %p', (input) => {
      expect(normalizeDomain(input)).toBeNull();
    });
  });

  describe('normalizeCompanyName', () => {
    it('ignores case, surrounding spaces and runs of inner spaces', () => {
      expect(normalizeCompanyName('  ACME   Trading\tLtd ')).toBe('acme trading ltd');
      expect(normalizeCompanyName('Acme Trading Ltd')).toBe(normalizeCompanyName('acme  trading  LTD'));
    });

    it('keeps punctuation, so different names stay different', () => {
      expect(normalizeCompanyName('Acme, Inc.')).not.toBe(normalizeCompanyName('Acme Inc'));
    });

    it('gives an empty key for nothing', () => {
      expect(normalizeCompanyName(null)).toBe('');
      expect(normalizeCompanyName('   ')).toBe('');
    });
  });

  describe('normalizeEmail', () => {
    it('trims and lower-cases', () => {
      expect(normalizeEmail('  Jane.Doe@Acme.COM ')).toBe('jane.doe@acme.com');
    });

    it('is null for nothing', () => {
      expect(normalizeEmail('  ')).toBeNull();
      expect(normalizeEmail(null)).toBeNull();
    });
  });

  describe('normalizePhone', () => {
    it('keeps digits only, with the country code as digits', () => {
      expect(normalizePhone('+1 (555) 010-9999')).toBe('15550109999');
      expect(normalizePhone('+44 20 7946 0000')).toBe('442079460000');
    });

    it('reads the 00 international prefix like +', () => {
      expect(normalizePhone('0044 20 7946 0000')).toBe(normalizePhone('+44 20 7946 0000'));
    });

    it('keeps a national trunk 0', () => {
      expect(normalizePhone('020 7946 0000')).toBe('02079460000');
    });

    it('is null without digits', () => {
      expect(normalizePhone('n/a')).toBeNull();
      expect(normalizePhone('')).toBeNull();
      expect(normalizePhone(undefined)).toBeNull();
    });
  });

  describe('isValidTin', () => {
    it.each(['123456789', '1234567890', '123456789012'])('accepts %s', (tin) => {
      expect(isValidTin(tin)).toBe(true);
    });

    it.each(['12345678', '12345678901', '1234567890123', '12345678a', ' 123456789', '', null, undefined])('refuses %p', (tin) => {
      expect(isValidTin(tin)).toBe(false);
    });
  });
});
