import { preferredLocales, translate } from './accept-language';

describe('Accept-Language', () => {
  it('orders locales by quality and drops q=0', () => {
    expect(preferredLocales('en;q=0.5, fr-CA, de;q=0')).toEqual(['fr-ca', 'en']);
  });

  it('picks the exact tag, then the language, then the fallback', () => {
    const t = { fr: 'Salon', 'pt-BR': 'Evento' };
    expect(translate('Event', t, preferredLocales('pt-BR'))).toBe('Evento');
    expect(translate('Event', t, preferredLocales('fr-CA'))).toBe('Salon');
    expect(translate('Event', t, preferredLocales('de'))).toBe('Event');
    expect(translate('Event', null, ['fr'])).toBe('Event');
  });
});
