import { DEFAULT_DISTRIBUTOR_MODELS } from '../../core/options/crm-module-options';
import { assertMappableFields, completeFields, toIntakeRecord } from './odoo-record-mapper';

const [quotation] = DEFAULT_DISTRIBUTOR_MODELS;

describe('toIntakeRecord', () => {
  it('maps Odoo fields, drops false, takes a many2one by its name, and remembers the remote record', () => {
    const record = toIntakeRecord(quotation, {
      id: 42,
      write_date: '2026-01-01 08:00:00',
      name: 'Q000042',
      partner_name: false,
      contact_name: 'Anna Maria  Smith',
      email_from: ' anna@example.com ',
      phone: '',
      vehicle_model: [3, 'Tiggo 8 Pro'],
    });
    expect(record).toEqual({
      source: 'source_web_quotation',
      channel: 'quotation',
      name: 'Q000042',
      firstName: 'Anna',
      lastName: 'Maria Smith',
      email: 'anna@example.com',
      customerRequirements: 'Tiggo 8 Pro',
      externalSource: 'cheryweb.quotation',
      externalId: '42',
    });
  });

  it('leaves the last name out of a one-word contact name, for validation to refuse', () => {
    expect(toIntakeRecord(quotation, { id: 1, write_date: '2026-01-01 08:00:00', contact_name: 'Cher' })).toMatchObject({ firstName: 'Cher' });
    expect(toIntakeRecord(quotation, { id: 1, write_date: '2026-01-01 08:00:00', contact_name: 'Cher' }).lastName).toBeUndefined();
  });

  it('refuses a mapping onto a field intake does not have', () => {
    expect(() => assertMappableFields({ ...quotation, fields: { x_budget: 'budget' } })).toThrow(/unknown intake fields: budget/);
    expect(() => assertMappableFields(quotation)).not.toThrow();
  });

  it('names the fields a record carries in full, so a false from Odoo clears them (never the names a contact needs)', () => {
    expect(completeFields(quotation).sort()).toEqual(['city', 'companyName', 'customerRequirements', 'email', 'middleName', 'name', 'phone']);
  });
});
