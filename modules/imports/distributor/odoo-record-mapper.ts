import type { DistributorModelMapping } from '../../core/options/crm-module-options';
import type { IntakeRecord } from '../intake/intake-record';
import type { OdooRecord } from './odoo-client';

/** The intake fields a mapping may fill, and a manager may correct on a refused record before replaying it. */
export const DISTRIBUTOR_INTAKE_FIELDS: readonly (keyof IntakeRecord)[] = [
  'source', 'productCategory', 'name', 'companyName', 'website', 'tin', 'firstName', 'lastName', 'middleName', 'email',
  'phone', 'phoneExtension', 'jobTitle', 'city', 'channel', 'customerRequirements', 'salesDirection', 'product', 'marketingCampaign',
];
const INTAKE_FIELDS: ReadonlySet<string> = new Set(DISTRIBUTOR_INTAKE_FIELDS);

/** Names a record needs whatever Odoo sends: never cleared, a missing one is refused instead. */
const NEVER_CLEARED: ReadonlySet<string> = new Set(['firstName', 'lastName', 'source', 'channel']);

/** A mapping target that is not an intake field: a full name, split into first name and the rest. */
export const CONTACT_NAME_TARGET = 'contactName';

/** The intake fields a model mapping may fill; a typo in the options fails at start-up rather than dropping data. */
export function assertMappableFields(mapping: DistributorModelMapping): void {
  const unknown = Object.values(mapping.fields).filter((field) => !INTAKE_FIELDS.has(field) && field !== CONTACT_NAME_TARGET);
  if (unknown.length) throw new Error(`distributor.models[${mapping.model}].fields maps to unknown intake fields: ${unknown.join(', ')}`);
}

/**
 * The intake fields every record of the mapping carries in full: a mapped field Odoo sends as `false`
 * (empty) clears its value when the record is pulled again (`IntakeOptions.complete`).
 */
export function completeFields(mapping: DistributorModelMapping): (keyof IntakeRecord)[] {
  const targets = Object.values(mapping.fields).flatMap((field) => (field === CONTACT_NAME_TARGET ? ['middleName'] : [field]));
  return [...new Set(targets)].filter((field) => !NEVER_CLEARED.has(field)) as (keyof IntakeRecord)[];
}

/**
 * One Odoo record as an intake record. Odoo sends `false` for an empty field and `[id, name]` for a
 * many2one; the lead remembers (model, id) so pulling the record again never makes a second lead.
 */
export function toIntakeRecord(mapping: DistributorModelMapping, remote: OdooRecord): IntakeRecord {
  const record: Record<string, string> = { source: mapping.sourceCode, channel: mapping.kind };
  for (const [remoteField, intakeField] of Object.entries(mapping.fields)) {
    const value = odooText(remote[remoteField]);
    if (value === undefined) continue;
    if (intakeField === CONTACT_NAME_TARGET) Object.assign(record, splitName(value));
    else record[intakeField] = value;
  }
  record.externalSource = mapping.model;
  record.externalId = String(remote.id);
  return record;
}

/**
 * Odoo keeps a lead's contact as one `contact_name`. "Anna Maria Smith" is first name "Anna", last
 * name "Maria Smith"; a single word stays the first name, so validation asks for the last name and
 * the record is kept for replay rather than guessed.
 */
function splitName(full: string): { firstName: string; lastName?: string } {
  const [firstName, ...rest] = full.split(/\s+/);
  return rest.length ? { firstName, lastName: rest.join(' ') } : { firstName };
}

function odooText(value: unknown): string | undefined {
  if (value === false || value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 2 ? odooText(value[1]) : undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}
