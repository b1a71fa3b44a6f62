import { headerProblems, normalizeHeader, rowPayload, toIntakeRecord } from './csv-columns';

describe('CSV columns', () => {
  it('normalises headers people type', () => {
    expect(normalizeHeader(' First Name ')).toBe('first_name');
    expect(normalizeHeader('sales-direction')).toBe('sales_direction');
    expect(['E-mail', 'e_mail', 'E-Mail Address', 'Email'].map(normalizeHeader)).toEqual(['email', 'email', 'email', 'email']);
    expect(['Phone number', 'Telephone', 'Mobile', 'Phone No.'].map(normalizeHeader)).toEqual(['phone', 'phone', 'phone', 'phone']);
    expect(headerProblems(['E-mail', 'email'])).toEqual(['repeated columns: email']);
  });

  it('accepts the documented columns and the ones errors.csv adds, and names the rest', () => {
    expect(headerProblems(['error_id', 'row_number', 'Name', 'email', 'error'])).toEqual([]);
    expect(headerProblems(['name', 'shoe_size', 'name'])).toEqual([expect.stringContaining('unknown columns: shoe_size'), 'repeated columns: name']);
    expect(headerProblems(['row_number', 'error'])).toEqual(['the first row must name the columns']);
  });

  it('maps a row onto an intake record; an external id is scoped to CSV imports', () => {
    expect(toIntakeRecord({ name: 'A', first_name: 'Ann', email: '', external_id: 'X-1', error: 'old' })).toEqual({
      name: 'A',
      firstName: 'Ann',
      externalId: 'X-1',
      externalSource: 'csv',
    });
    expect(toIntakeRecord({ name: 'B' })).toEqual({ name: 'B' });
  });

  it('keeps only our non-empty columns with a failed row', () => {
    expect(rowPayload({ name: 'A', tin: '', error: 'x', row_number: '3' })).toEqual({ name: 'A' });
  });

  it('cuts what no field takes, so a kept row always fits its payload column', () => {
    expect(rowPayload({ name: 'n'.repeat(20_000) }).name).toBe(`${'n'.repeat(10_000)}…`);
    // Control characters take six bytes each in JSON: the values are cut shorter until the row fits.
    const payload = rowPayload({ name: '\u0001'.repeat(30_000), city: '\u0001'.repeat(30_000) });
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(60_000);
    expect(payload.name).toMatch(/…$/);
  });
});
