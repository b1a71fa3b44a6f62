import { closeDateFromTerms } from './lead-qualification';

describe('closeDateFromTerms', () => {
  const at = (iso: string) => new Date(iso);

  it('counts weeks in days and the rest in calendar months', () => {
    expect(closeDateFromTerms('within_a_week', at('2026-12-28T23:30:00Z'))).toBe('2027-01-04');
    expect(closeDateFromTerms('within_a_month', at('2026-03-15T08:00:00Z'))).toBe('2026-04-15');
    expect(closeDateFromTerms('within_a_quarter', at('2026-11-30T08:00:00Z'))).toBe('2027-02-28');
    expect(closeDateFromTerms('within_half_a_year', at('2026-08-31T08:00:00Z'))).toBe('2027-02-28');
    expect(closeDateFromTerms('within_a_year', at('2028-02-29T08:00:00Z'))).toBe('2029-02-28');
  });

  it('clamps to the end of a shorter month', () => {
    expect(closeDateFromTerms('within_a_month', at('2026-01-31T00:00:00Z'))).toBe('2026-02-28');
    expect(closeDateFromTerms('within_a_month', at('2028-01-31T00:00:00Z'))).toBe('2028-02-29');
  });

  it('gives no date for open-ended terms', () => {
    expect(closeDateFromTerms('more_than_a_year', at('2026-01-01T00:00:00Z'))).toBeNull();
    expect(closeDateFromTerms('undefined', at('2026-01-01T00:00:00Z'))).toBeNull();
  });
});
