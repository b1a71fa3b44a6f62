import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { callerCan, type CrmCaller } from '../core/access/crm-caller';
import { CrmError } from '../core/errors/crm-error';
import { CompaniesService, CompanyDraft } from '../directory/companies.service';
import type { Company } from '../directory/company.entity';
import type { Contact } from '../directory/contact.entity';
import { ContactDraft, ContactsService } from '../directory/contacts.service';
import type { NewCompanyDto } from '../directory/dto/new-company.dto';
import type { NewContactDto } from '../directory/dto/new-contact.dto';
import { ListEntriesService } from '../directory/list-entries.service';
import type { ListKind } from '../directory/list-kind';
import { PeopleService } from '../directory/people.service';
import { SourceCatalog } from '../sources/source-catalog.service';
import { SourceEligibilityService } from '../sources/source-eligibility.service';
import type { Lead } from './lead.entity';

/** The list-valued reference fields of a lead and the list each points into. */
export const LEAD_LIST_FIELDS = {
  marketingCampaignId: 'marketing_campaign',
  salesDirectionId: 'sales_direction',
  productId: 'product',
  contentDistributionChannelId: 'content_channel',
} as const satisfies Record<string, ListKind>;

export type LeadListField = keyof typeof LEAD_LIST_FIELDS;

/** The references of a lead as they will be once a create or update is applied. */
export interface LeadReferenceDraft {
  sourceId: number;
  companyId: number | null;
  contactId: number | null;
  ownerId: string | null;
  partnerCompanyId: number | null;
  partnerRepresentativeId: number | null;
  jobTitle?: string | null;
  city?: string | null;
}

/** A lead's company: an existing one's id, or one drafted with the lead. */
export type CompanyRef = number | CompanyDraft;
/** A lead's contact: an existing one's id, or one drafted with the lead. */
export type ContactRef = number | ContactDraft;

/**
 * Reference checks new leads of one batch already passed in its transaction (a page of imports
 * names the same source, list entries and owner hundreds of times); only checks of a new lead,
 * which depend on nothing but the reference, are remembered.
 */
export type PassedChecks = Set<string>;

/**
 * The checks of everything a lead points at: the source, the lists, the owner, the company and
 * contact (existing or created here), the partner company and its representative. A reference is
 * only checked when set or changed, so a lead keeps what it has after it is archived elsewhere.
 * `current` is the lead before the change, `null` on create.
 */
@Injectable()
export class LeadReferences {
  constructor(
    private readonly catalog: SourceCatalog,
    private readonly eligibility: SourceEligibilityService,
    private readonly people: PeopleService,
    private readonly companies: CompaniesService,
    private readonly contacts: ContactsService,
    private readonly lists: ListEntriesService,
  ) {}

  /** The source rule: eligible when set or changed; a source stamped by an import is locked for non-managers. */
  async checkSource(manager: EntityManager, caller: CrmCaller, sourceId: number, current: Lead | null, passed?: PassedChecks): Promise<void> {
    if (current && current.sourceId === sourceId) return;
    if (!current && passed?.has(`source:${sourceId}`)) return;
    if (current && !callerCan(caller, 'leads.manage')) {
      const stamped = await this.catalog.load(manager, current.sourceId);
      if (this.catalog.isProtected(stamped)) {
        throw new CrmError(
          'LOCKED',
          `The source of lead ${current.id} (${stamped.code}) was stamped by an automatic import and is locked; only a manager (leads.manage) can change it`,
          { field: 'sourceId', sourceId: stamped.id, code: stamped.code },
        );
      }
    }
    await this.eligibility.assertEligible(manager, { sourceId, appliesTo: 'lead', currentSourceId: current?.sourceId ?? null });
    if (!current) passed?.add(`source:${sourceId}`);
  }

  /** Each list field given (and not cleared) must be a usable entry of its list, or the lead's current one. */
  async checkLists(manager: EntityManager, given: Partial<Record<LeadListField, number | null>>, current: Lead | null, passed?: PassedChecks): Promise<void> {
    for (const field of Object.keys(LEAD_LIST_FIELDS) as LeadListField[]) {
      const id = given[field];
      if (id === undefined || id === null) continue;
      const key = `${LEAD_LIST_FIELDS[field]}:${id}`;
      if (!current && passed?.has(key)) continue;
      await this.lists.assertUsable(manager, LEAD_LIST_FIELDS[field], id, current?.[field] ?? null, field);
      if (!current) passed?.add(key);
    }
  }

  async checkOwner(manager: EntityManager, caller: CrmCaller, ownerId: string | null, current: Lead | null, passed?: PassedChecks): Promise<void> {
    if (ownerId === null || ownerId === current?.ownerId) return;
    if (!current && passed?.has(`owner:${ownerId}`)) return;
    await this.people.assertActivePerson(manager, ownerId, 'ownerId', caller);
    if (!current) passed?.add(`owner:${ownerId}`);
  }

  /**
   * Drafts the company asked for, or checks the one picked; answers the lead's company: an id, or a
   * draft the caller inserts. `link` is a company the caller holds already (read in this
   * transaction, or drafted for an earlier lead of its batch), linked without another look.
   */
  async resolveCompany(
    manager: EntityManager,
    caller: CrmCaller,
    draft: LeadReferenceDraft,
    newCompany: NewCompanyDto | undefined,
    current: Lead | null,
    link?: CompanyRef,
  ): Promise<CompanyRef | null> {
    if (link !== undefined) return link;
    if (newCompany) return this.companies.draft(caller, { ...newCompany, city: draft.city ?? null });
    if (draft.companyId !== null && draft.companyId !== current?.companyId) await this.companies.requireCompany(manager, draft.companyId, 'companyId', caller);
    return draft.companyId;
  }

  /**
   * Drafts the contact asked for in the lead's company, or checks that the one picked belongs to it.
   * `link` is a contact the caller holds already (read in this transaction, or drafted for an
   * earlier lead of its batch); it must belong to the lead's company too.
   */
  async resolveContact(
    manager: EntityManager,
    caller: CrmCaller,
    draft: LeadReferenceDraft,
    company: CompanyRef | null,
    newContact: NewContactDto | undefined,
    current: Lead | null,
    link?: Contact | ContactDraft,
  ): Promise<ContactRef | null> {
    if (link instanceof ContactDraft) {
      if (link.company !== company) throw CrmError.invalidField('contactId', 'belongsToCompany', 'the contact does not belong to the lead\'s company');
      return link;
    }
    if (link) {
      assertBelongs(link, company);
      return link.id;
    }
    // The lead's company was checked by resolveCompany when picked, or is the lead's own.
    if (newContact) return this.contacts.draftWithin(manager, Object.assign({}, newContact, { jobTitle: draft.jobTitle ?? null }), company, true);
    if (draft.contactId === null) return null;
    const companyId = typeof company === 'number' ? company : null;
    const changed = draft.contactId !== current?.contactId || companyId !== current?.companyId;
    if (!changed) return draft.contactId;
    const contact = await this.contacts.requireContact(manager, draft.contactId, 'contactId', caller);
    if (!joinsLeadCompany(contact, current)) assertBelongs(contact, company);
    return draft.contactId;
  }

  /**
   * Files the lead's contact under the company the lead just got, when the contact has none: an
   * agent completing a lead that automatic intake made for a person (no company yet) adds the
   * company on the lead, and the person is that company's contact from then on. Audited on the contact.
   */
  async fileContactUnderCompany(manager: EntityManager, caller: CrmCaller, current: Lead, companyId: number | null, contactId: number | null): Promise<void> {
    if (current.companyId !== null || companyId === null || contactId === null || contactId !== current.contactId) return;
    const contact = await this.contacts.requireContact(manager, contactId, 'contactId');
    if (joinsLeadCompany(contact, current)) await this.contacts.updateWithin(manager, caller, contact, { companyId });
  }

  /** Inserts the companies and contacts drafted for leads, companies first (contacts point at them). */
  async insertDrafted(manager: EntityManager, caller: CrmCaller, leads: Array<{ company: CompanyRef | null; contact: ContactRef | null }>): Promise<void> {
    const companies = new Set<CompanyDraft>();
    const contacts = new Set<ContactDraft>();
    const addCompany = (ref: CompanyRef | null) => ref instanceof CompanyDraft && ref.id === null && companies.add(ref);
    for (const { company, contact } of leads) {
      addCompany(company);
      if (contact instanceof ContactDraft && contact.id === null) {
        contacts.add(contact);
        addCompany(contact.company);
      }
    }
    await this.companies.insertDrafts(manager, caller, [...companies]);
    await this.contacts.insertDrafts(manager, caller, [...contacts]);
  }

  /** The partner company must be a partner; its representative must be one of its contacts. */
  async checkPartner(manager: EntityManager, caller: CrmCaller, draft: LeadReferenceDraft, current: Lead | null): Promise<void> {
    const companyChanged = draft.partnerCompanyId !== (current?.partnerCompanyId ?? null);
    if (draft.partnerCompanyId !== null && companyChanged) await this.requirePartner(manager, draft.partnerCompanyId);
    const representativeChanged = draft.partnerRepresentativeId !== (current?.partnerRepresentativeId ?? null);
    if (draft.partnerRepresentativeId === null || !(companyChanged || representativeChanged)) return;
    if (draft.partnerCompanyId === null) {
      throw CrmError.invalidField('partnerRepresentativeId', 'requiresPartnerCompany', 'partnerRepresentativeId needs a partnerCompanyId');
    }
    const representative: Contact = await this.contacts.requireContact(manager, draft.partnerRepresentativeId, 'partnerRepresentativeId', caller);
    if (representative.companyId !== draft.partnerCompanyId) {
      throw CrmError.invalidField(
        'partnerRepresentativeId',
        'belongsToPartnerCompany',
        `partnerRepresentativeId ${representative.id} is not a contact of partner company ${draft.partnerCompanyId}`,
      );
    }
  }

  private async requirePartner(manager: EntityManager, id: number): Promise<Company> {
    const company = await this.companies.requireCompany(manager, id, 'partnerCompanyId');
    if (!company.isPartner) throw CrmError.invalidField('partnerCompanyId', 'isPartner', `partnerCompanyId ${id} (${company.name}) is not a partner company`);
    return company;
  }
}

/** The lead's own contact, with no company, on a lead that had none: it joins the company the lead gets. */
function joinsLeadCompany(contact: Contact, current: Lead | null): boolean {
  return current !== null && current.companyId === null && current.contactId === contact.id && contact.companyId === null;
}

/** A lead's contact must belong to the lead's company (when it has one). */
function assertBelongs(contact: Contact, company: CompanyRef | null): void {
  if (company === null || contact.companyId === company) return;
  const named = typeof company === 'number' ? `company ${company}` : 'the company being created';
  throw CrmError.invalidField('contactId', 'belongsToCompany', `contactId ${contact.id} does not belong to ${named}`);
}
