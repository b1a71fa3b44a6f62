import type { IntakeRecord } from '../intake/intake-record';

/** The columns a lead CSV may have, and the intake record field each fills. Order is the errors.csv order. */
export const CSV_COLUMNS = {
  name: 'name',
  source: 'source',
  product_category: 'productCategory',
  company_name: 'companyName',
  website: 'website',
  tin: 'tin',
  first_name: 'firstName',
  last_name: 'lastName',
  middle_name: 'middleName',
  email: 'email',
  phone: 'phone',
  job_title: 'jobTitle',
  city: 'city',
  channel: 'channel',
  customer_requirements: 'customerRequirements',
  sales_direction: 'salesDirection',
  product: 'product',
  marketing_campaign: 'marketingCampaign',
  external_id: 'externalId',
} as const satisfies Record<string, keyof IntakeRecord>;

export type CsvColumn = keyof typeof CSV_COLUMNS;
export const CSV_COLUMN_NAMES = Object.keys(CSV_COLUMNS) as CsvColumn[];

/** Columns errors.csv adds; ignored on upload, so a fixed errors.csv can be uploaded as it is. */
const IGNORED_COLUMNS = new Set(['error_id', 'row_number', 'error']);

/** Other spellings of our columns that spreadsheets and CRMs export (after `normalizeHeader`'s folding). */
const HEADER_ALIASES: Record<string, CsvColumn> = {
  e_mail: 'email',
  email_address: 'email',
  e_mail_address: 'email',
  mail: 'email',
  phone_number: 'phone',
  phone_no: 'phone',
  telephone: 'phone',
  telephone_number: 'phone',
  tel: 'phone',
  mobile: 'phone',
  mobile_phone: 'phone',
  firstname: 'first_name',
  given_name: 'first_name',
  lastname: 'last_name',
  surname: 'last_name',
  family_name: 'last_name',
  middlename: 'middle_name',
  company: 'company_name',
  companyname: 'company_name',
  organization: 'company_name',
  organisation: 'company_name',
  web_site: 'website',
  url: 'website',
  jobtitle: 'job_title',
  title: 'job_title',
  position: 'job_title',
  town: 'city',
  externalid: 'external_id',
};

/** The external source of leads a CSV's `external_id` identifies. */
export const CSV_EXTERNAL_SOURCE = 'csv';

/** `First Name` → `first_name`; `E-mail` and `Phone number` → `email` and `phone` (see `HEADER_ALIASES`). */
export function normalizeHeader(header: string): string {
  const folded = header.trim().toLowerCase().replace(/[\s.-]+/g, '_').replace(/^_+|_+$/g, '');
  return HEADER_ALIASES[folded] ?? folded;
}

/** The problems with a header row: unknown columns, repeated ones, or none of ours. */
export function headerProblems(headers: string[]): string[] {
  const normalized = headers.map(normalizeHeader);
  const unknown = normalized.filter((h) => h !== '' && !(h in CSV_COLUMNS) && !IGNORED_COLUMNS.has(h));
  const repeated = normalized.filter((h, i) => h !== '' && normalized.indexOf(h) !== i);
  const problems: string[] = [];
  if (unknown.length) problems.push(`unknown columns: ${unknown.join(', ')} (known: ${CSV_COLUMN_NAMES.join(', ')})`);
  if (repeated.length) problems.push(`repeated columns: ${[...new Set(repeated)].join(', ')}`);
  if (!normalized.some((h) => h in CSV_COLUMNS)) problems.push('the first row must name the columns');
  return problems;
}

/** A parsed row (keys already normalised) as an intake record; an `external_id` is scoped to CSV imports. */
export function toIntakeRecord(row: Record<string, unknown>): IntakeRecord {
  const record: Record<string, string> = {};
  for (const column of CSV_COLUMN_NAMES) {
    const value = row[column];
    if (typeof value === 'string' && value.trim() !== '') record[CSV_COLUMNS[column]] = value;
  }
  if (record.externalId) record.externalSource = CSV_EXTERNAL_SOURCE;
  return record as IntakeRecord;
}

/** What a kept row may take of the error's payload column (MySQL TEXT: 65,535 bytes), its JSON escapes included. */
const PAYLOAD_BYTES = 60_000;

/**
 * The row as kept with a failure: only our columns, so errors.csv can be fixed and uploaded again.
 * A value longer than any field takes (it is refused anyway) is cut and marked …, shorter still
 * should the row not fit the payload column otherwise.
 */
export function rowPayload(row: Record<string, unknown>): Record<string, string> {
  const values = CSV_COLUMN_NAMES.filter((c) => typeof row[c] === 'string' && row[c] !== '').map((c) => [c, row[c] as string] as const);
  for (const cut of [10_000, 1000, 200, 20]) {
    const payload = Object.fromEntries(values.map(([c, v]) => [c, v.length > cut ? `${v.slice(0, cut)}…` : v]));
    if (Buffer.byteLength(JSON.stringify(payload)) <= PAYLOAD_BYTES) return payload;
  }
  return {};
}
