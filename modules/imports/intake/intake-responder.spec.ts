import { maskEmail, maskPhone } from './intake-responder.service';

describe('do-not-contact masking', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('jane@acme.example')).toBe('j***@acme.example');
    expect(maskEmail('broken')).toBe('***');
    expect(maskEmail(null)).toBeNull();
  });

  it('keeps the last two digits of a phone', () => {
    expect(maskPhone('+1 (555) 010-9999')).toBe('***99');
    expect(maskPhone(null)).toBeNull();
  });
});
