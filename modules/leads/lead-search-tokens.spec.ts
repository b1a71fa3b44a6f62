import { foldText, leadSearchTokens, searchAlternatives } from './lead-search-tokens';

const contact = { firstName: 'Carla', middleName: null, lastName: 'Chase', email: 'Carla.Chase@Chase.example', phone: '+44 20 7946 0000', doNotContact: false };

describe('lead search tokens', () => {
  it('folds case and accents the same way for what is stored and what is searched', () => {
    expect(foldText('Ärger Éclair ﬁle')).toBe('arger eclair file');
    expect(searchAlternatives('ÉCLAIR')).toEqual([['eclair']]);
  });

  it("takes the words of the lead's names, its company's and its contact's, each once", () => {
    const tokens = leadSearchTokens({ name: 'Fleet of 12 vans', leadCompanyName: 'Bravo 50% Logistics', companyName: 'Chase Holding', contact: null });
    expect(tokens.map((t) => t.token)).toEqual(['fleet', 'of', '12', 'vans', 'bravo', '50', 'logistics', 'chase', 'holding']);
    expect(tokens.every((t) => !t.hidden)).toBe(true);
  });

  it('keeps the email whole and by its words, and the phone from each digit group on and by its last 10 and 7 digits', () => {
    const tokens = leadSearchTokens({ name: 'Buses', leadCompanyName: null, companyName: null, contact }).map((t) => t.token);
    expect(tokens).toEqual(expect.arrayContaining(['carla.chase@chase.example', 'example', '442079460000', '2079460000', '79460000', '0000', '9460000']));
    // "chase" comes from the name too: kept once.
    expect(tokens.filter((t) => t === 'chase')).toHaveLength(1);
  });

  it("drops a leading international 00 from the phone's tokens, as the matching key does", () => {
    const tokens = leadSearchTokens({ name: 'x', leadCompanyName: null, companyName: null, contact: { ...contact, phone: '0044 20 7946 0000' } }).map((t) => t.token);
    expect(tokens).toEqual(expect.arrayContaining(['442079460000', '2079460000']));
    expect(tokens).not.toContain('00442079460000');
  });

  it("hides a do-not-contact contact's email and phone tokens, unless a name gives the same word", () => {
    const tokens = leadSearchTokens({ name: 'Chase fleet', leadCompanyName: null, companyName: null, contact: { ...contact, doNotContact: true } });
    const hidden = (token: string) => tokens.find((t) => t.token === token)?.hidden;
    expect(hidden('carla.chase@chase.example')).toBe(true);
    expect(hidden('79460000')).toBe(true);
    expect(hidden('chase')).toBe(false);
    expect(hidden('carla')).toBe(false);
  });

  it('reads a search as words, an email start, or a phone start with its digit groups as words too', () => {
    expect(searchAlternatives('  Company 137 ')).toEqual([['company', '137']]);
    expect(searchAlternatives('carla@Chase')).toEqual([['carla@chase']]);
    expect(searchAlternatives('7946 0000')).toEqual([['79460000'], ['7946', '0000']]);
    expect(searchAlternatives('+44 (20) 7946')).toEqual([['44207946'], ['44', '20', '7946']]);
    expect(searchAlternatives('137')).toEqual([['137']]);
    expect(searchAlternatives('_')).toEqual([]);
    expect(searchAlternatives('vans vans')).toEqual([['vans']]);
  });

  it('keeps 64 characters of a longer word, so its prefixes still match', () => {
    const long = 'a'.repeat(80);
    expect(leadSearchTokens({ name: long, leadCompanyName: null, companyName: null, contact: null })[0].token).toHaveLength(64);
    expect(searchAlternatives(long)).toEqual([['a'.repeat(64)]]);
  });
});
