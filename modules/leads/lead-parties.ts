import { CrmError, type CrmFieldError } from '../core/errors/crm-error';

/**
 * The two parties of a lead the agent/partner form makes mandatory: the company that showed
 * interest and the contact who speaks for it. Automatic intake (intake API, CSV, distributor sync)
 * may leave them empty (a test-drive request from a private person has no company); such a lead is
 * completed by an agent before it can be qualified or converted.
 */
export type LeadParty = 'company' | 'contact';

/** What the lead form names a party by, as an existing record or one created with the lead. */
const PARTY_FIELDS: Readonly<Record<LeadParty, { id: 'companyId' | 'contactId'; create: 'newCompany' | 'newContact'; shape: string }>> = {
  company: { id: 'companyId', create: 'newCompany', shape: '{ name, website, tin }' },
  contact: { id: 'contactId', create: 'newContact', shape: '{ firstName, lastName }' },
};

/** The lead form as far as its parties go. */
export interface PartyFields {
  companyId?: number | null;
  newCompany?: object | null;
  contactId?: number | null;
  newContact?: object | null;
}

/** The parties a lead has, each as an id, a draft, or nothing. */
export interface LeadPartyLinks {
  company: unknown;
  contact: unknown;
}

/** The parties the lead form was sent without; an empty list when both are there. */
export function partiesNotGiven(dto: PartyFields): LeadParty[] {
  return (Object.keys(PARTY_FIELDS) as LeadParty[]).filter((party) => {
    const { id, create } = PARTY_FIELDS[party];
    return (dto[id] === undefined || dto[id] === null) && !dto[create];
  });
}

/** The form's rule on create: a company and a contact, each existing or new (400 naming each missing one). */
export function requireFormParties(dto: PartyFields): void {
  const missing = partiesNotGiven(dto);
  if (missing.length === 0) return;
  const errors: CrmFieldError[] = missing.map((party) => {
    const { id, create, shape } = PARTY_FIELDS[party];
    return { field: id, rule: `${party}Required`, message: `a lead needs a ${party}: give ${id} (an existing ${party}) or ${create} ${shape}` };
  });
  throw CrmError.validation(errors);
}

/** The form's rule on change: a company or contact the lead has is replaced, never cleared (400). */
export function refuseClearedParties(dto: PartyFields, current: { companyId: number | null; contactId: number | null }): void {
  const cleared = (Object.keys(PARTY_FIELDS) as LeadParty[]).filter((party) => {
    const { id, create } = PARTY_FIELDS[party];
    return dto[id] === null && !dto[create] && current[id] !== null;
  });
  if (cleared.length === 0) return;
  throw CrmError.validation(
    cleared.map((party) => {
      const { id, create } = PARTY_FIELDS[party];
      return { field: id, rule: `${party}Required`, message: `${id} cannot be cleared: a lead needs a ${party}; pick another one (${id}) or create one (${create})` };
    }),
  );
}

/** The parties a lead lacks. */
export function missingParties(links: LeadPartyLinks): LeadParty[] {
  return (Object.keys(PARTY_FIELDS) as LeadParty[]).filter((party) => links[party] === null || links[party] === undefined);
}

/**
 * A lead becomes `qualified` or `converted` only with a company and a contact: 409 `CONFLICT`
 * naming what is missing (`details.missing`, and the form fields that fill it in `details.fields`).
 */
export function requirePartiesFor(leadId: number | null, links: LeadPartyLinks, becoming: 'qualified' | 'converted'): void {
  const missing = missingParties(links);
  if (missing.length === 0) return;
  const which = missing.map((party) => `a ${party}`).join(' and ');
  const lead = leadId === null ? 'The lead' : `Lead ${leadId}`;
  const verb = becoming === 'qualified' ? 'be qualified' : 'be converted';
  const fields = missing.map((party) => PARTY_FIELDS[party].id);
  const how = missing.map((party) => `${PARTY_FIELDS[party].id} or ${PARTY_FIELDS[party].create}`).join(', and ');
  throw new CrmError('CONFLICT', `${lead} cannot ${verb} without ${which}; set ${how} first`, {
    missing,
    fields,
  });
}
