import { CompanyDraft } from '../../directory/companies.service';
import { ContactDraft } from '../../directory/contacts.service';
import type { CreateLeadDto } from '../../leads/dto/create-lead.dto';
import type { LeadDraftOptions } from '../../leads/lead-writer.service';
import type { DuplicateMatch } from './duplicate-finder.service';
import type { PreparedIntake } from './intake-validator.service';

/** The form fields that link a new lead to its company and contact. */
export type LeadLinksDto = Pick<CreateLeadDto, 'companyId' | 'newCompany' | 'contactId' | 'newContact'>;

/**
 * The company and contact of a new lead. A matched contact brings its own company (a lead's contact
 * must belong to its company); otherwise a matched company is linked, or the one described created.
 * What the record matched is linked as held (read in this transaction, or drafted by the page).
 */
export function linksFor(prepared: PreparedIntake, match: DuplicateMatch): { dto: LeadLinksDto; link: Pick<LeadDraftOptions, 'linkCompany' | 'linkContact'> } {
  if (match.contact instanceof ContactDraft) return { dto: {}, link: { linkContact: match.contact, linkCompany: match.contact.company ?? undefined } };
  if (match.contact) return { dto: {}, link: { linkContact: match.contact, linkCompany: match.contact.companyId ?? undefined } };
  const newContact = prepared.contact ? (({ jobTitle: _j, ...contact }) => contact)(prepared.contact) : undefined;
  const contactLink = newContact ? { newContact } : {};
  if (match.company) return { dto: contactLink, link: { linkCompany: match.company instanceof CompanyDraft ? match.company : match.company.id } };
  return { dto: { ...(prepared.company ? { newCompany: prepared.company } : {}), ...contactLink }, link: {} };
}
