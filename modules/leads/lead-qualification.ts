/**
 * The closed vocabularies of the lead qualification form, the four lists help page 004 gives options
 * for. Stored as their codes, documented as enums in Swagger, so reports can group by them. The
 * answers the page asks a person to write (implementation options, influence on decision making,
 * compliance with criteria) are free text.
 */
export const PROCUREMENT_PROCEDURES = ['tender', 'request_for_quotation', 'direct_purchase', 'framework_agreement', 'other'] as const;
export type ProcurementProcedure = (typeof PROCUREMENT_PROCEDURES)[number];

export const DECISION_LEVELS = ['department', 'division', 'company_management', 'board', 'owner'] as const;
export type DecisionLevel = (typeof DECISION_LEVELS)[number];

export const LEAD_TERMS = [
  'within_a_week',
  'within_a_month',
  'within_a_quarter',
  'within_half_a_year',
  'within_a_year',
  'more_than_a_year',
  'undefined',
] as const;
export type LeadTerms = (typeof LEAD_TERMS)[number];

export const CONTACT_PERSON_LEVELS = ['specialist', 'middle_manager', 'top_manager', 'decision_maker'] as const;
export type ContactPersonLevel = (typeof CONTACT_PERSON_LEVELS)[number];

/** How far away each `terms` answer puts the expected close; the open-ended answers give no date. */
const TERM_OFFSETS: Readonly<Record<LeadTerms, { days?: number; months?: number } | null>> = {
  within_a_week: { days: 7 },
  within_a_month: { months: 1 },
  within_a_quarter: { months: 3 },
  within_half_a_year: { months: 6 },
  within_a_year: { months: 12 },
  more_than_a_year: null,
  undefined: null,
};

/**
 * The close date a `terms` answer implies, counted from `from` (the lead's creation), as
 * `YYYY-MM-DD` in UTC; month ends are clamped (31 January + one month is 28 or 29 February).
 */
export function closeDateFromTerms(terms: LeadTerms, from: Date): string | null {
  const offset = TERM_OFFSETS[terms];
  if (!offset) return null;
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + (offset.months ?? 0);
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay) + (offset.days ?? 0);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
