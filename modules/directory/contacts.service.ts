import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { insertManyWithoutReload } from '../core/database/insert-without-reload';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordChanges } from '../core/records/record-changes.service';
import { RecordVisibility, type VisibilityRule } from '../core/visibility/record-visibility.service';
import { CompaniesService, type CompanyDraft } from './companies.service';
import { Contact } from './contact.entity';
import { editableChanges, searchableBy, visibleChanges } from './contact-privacy';
import { ContactDto } from './dto/contact.dto';
import type { ContactQueryDto } from './dto/contact-query.dto';
import type { CreateContactDto } from './dto/create-contact.dto';
import { type NewContactDto, PHONE_PATTERN } from './dto/new-contact.dto';
import type { UpdateContactDto } from './dto/update-contact.dto';
import { normalizeEmail, normalizePhone } from './matching-keys';

export const CONTACT_AUDIT_TYPE = 'contact';

const AUDITED_CONTACT_FIELDS = ['companyId', 'firstName', 'lastName', 'middleName', 'phone', 'phoneExtension', 'email', 'doNotContact', 'jobTitle'] as const;
/** What the leads showing a contact are searched by (LeadSearchIndex): a change is announced to them. */
const SEARCHED_CONTACT_FIELDS: readonly string[] = ['firstName', 'lastName', 'middleName', 'phone', 'email', 'doNotContact'];

/** What a new contact is made of. */
export type ContactInput = NewContactDto & { companyId: number | null; jobTitle?: string | null; doNotContact?: boolean };

/** The editable fields of a contact. */
export type ContactChanges = Partial<NewContactDto & { jobTitle: string | null; companyId: number | null; doNotContact: boolean }>;

type ContactFields = Pick<Contact, (typeof AUDITED_CONTACT_FIELDS)[number]>;

/**
 * A partner sees its own people (the contacts of its partner company), the contacts its supervisors
 * created, and the contacts of the leads (as contact or partner representative) and customers it sees.
 */
export const CONTACT_VISIBILITY: VisibilityRule<Contact> = {
  label: 'Contact',
  entity: Contact,
  condition: (ct, scope) =>
    [
      `${ct}.companyId = ${scope.partner}`,
      `${ct}.partnerCompanyId = ${scope.partner}`,
      scope.existsVisible('lead', (l) => `${l}.contactId = ${ct}.id`),
      scope.existsVisible('lead', (l) => `${l}.partnerRepresentativeId = ${ct}.id`),
      scope.existsVisible('customer', (c) => `${c}.primaryContactId = ${ct}.id`),
    ].join(' OR '),
};

/** Contacts: searching, reading, creating and editing them; the lead form creates and edits them in its own transaction. */
@Injectable()
export class ContactsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly companies: CompaniesService,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
    private readonly changes: RecordChanges,
  ) {}

  /** Registers how a partner sees its records (`CONTACT_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('contact', CONTACT_VISIBILITY);
  }

  /** Search by name, email or phone, optionally within one company, for the lead form's contact picker. */
  async list(caller: CrmCaller, query: ContactQueryDto): Promise<Page<ContactDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Contact).createQueryBuilder('c'), caller, 'contact');
    if (query.companyId !== undefined) qb.andWhere('c.companyId = :companyId', { companyId: query.companyId });
    const q = (query.q ?? '').trim();
    const phoneKey = PHONE_PATTERN.test(q) ? normalizePhone(q) : null;
    if (phoneKey && phoneKey.length >= 3) qb.andWhere(searchableBy(caller, `c.phoneKey LIKE :phoneKey ${LIKE_ESCAPE}`, { phoneKey: likePattern(phoneKey) }, ALIASES));
    else q.split(/\s+/).filter(Boolean).forEach((word, i) => qb.andWhere(wordMatches(caller, i, word)));
    const [contacts, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('c.lastName', 'ASC')
        .addOrderBy('c.firstName', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    return mapPage(toPage(contacts, total, query), (contact) => ContactDto.from(contact, caller));
  }

  async get(caller: CrmCaller, id: number): Promise<ContactDto> {
    return ContactDto.from(await this.loadVisible(this.dataSource.manager, caller, id), caller);
  }

  /** Who changed what and when, newest first; a do-not-contact contact's email and phone values masked as on the contact. */
  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const contact = await this.loadVisible(this.dataSource.manager, caller, id);
    const current = async () => auditedState(contact, AUDITED_CONTACT_FIELDS);
    return mapPage(await this.audit.history(CONTACT_AUDIT_TYPE, id, query, current), (entry) => {
      const dto = AuditEntryDto.from(entry);
      return { ...dto, changes: visibleChanges(caller, contact, dto.changes) };
    });
  }

  async create(caller: CrmCaller, dto: CreateContactDto): Promise<ContactDto> {
    const contact = await this.transactions.run((manager) => this.createWithin(manager, caller, { ...dto, companyId: dto.companyId ?? null }));
    return this.get(caller, contact.id);
  }

  /** Creates a contact inside the caller's transaction (its company must exist), audited. */
  async createWithin(manager: EntityManager, caller: CrmCaller, input: ContactInput): Promise<Contact> {
    return this.load(manager, await this.createIdWithin(manager, caller, input));
  }

  /** `createWithin` answering only the new contact's id (no read-back). */
  async createIdWithin(manager: EntityManager, caller: CrmCaller, input: ContactInput): Promise<number> {
    if (input.companyId !== null) await this.companies.requireCompany(manager, input.companyId, 'companyId', caller);
    const draft = await this.draftWithin(manager, input, input.companyId, true);
    draft.partnerCompanyId = caller.partnerCompanyId;
    await this.insertDrafts(manager, caller, [draft]);
    return draft.id!;
  }

  /**
   * A new contact checked, to be inserted (with others) by `insertDrafts`. `company` is the id of an
   * existing company (checked here unless `companyChecked`), or a company drafted in the same batch.
   */
  async draftWithin(
    manager: EntityManager,
    input: NewContactDto & { jobTitle?: string | null; doNotContact?: boolean },
    company: number | CompanyDraft | null,
    companyChecked = false,
  ): Promise<ContactDraft> {
    if (typeof company === 'number' && !companyChecked) await this.companies.requireCompany(manager, company, 'companyId');
    const fields: Omit<ContactFields, 'companyId'> = {
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      middleName: blankToNull(input.middleName),
      phone: blankToNull(input.phone),
      phoneExtension: blankToNull(input.phoneExtension),
      email: blankToNull(input.email),
      doNotContact: input.doNotContact ?? false,
      jobTitle: blankToNull(input.jobTitle),
    };
    return new ContactDraft(company, fields, matchKeys(fields));
  }

  /** Inserts drafted contacts with multi-row INSERTs and sets their ids, audited; drafted companies must be inserted already. */
  async insertDrafts(manager: EntityManager, caller: CrmCaller, drafts: ContactDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    const rows = drafts.map((draft) => ({ companyId: draft.companyId(), ...draft.fields }));
    // Object.assign, not a spread: see LeadWriter.insertDrafts.
    const ids = await insertManyWithoutReload(
      manager,
      Contact,
      rows.map((row, i) => Object.assign({}, row, drafts[i].keys, { partnerCompanyId: drafts[i].partnerCompanyId })),
    );
    drafts.forEach((draft, i) => (draft.id = ids[i]));
    await this.audit.recordCreated(manager, caller, CONTACT_AUDIT_TYPE, ids);
  }

  /** Applies a change; a `version` given must be the current one (409 otherwise). */
  async update(caller: CrmCaller, id: number, dto: UpdateContactDto): Promise<ContactDto> {
    await this.transactions.run(async (manager) => {
      const contact = await this.loadVisible(manager, caller, id, true);
      if (dto.version !== undefined && dto.version !== contact.version) {
        throw new CrmError('STALE_VERSION', `Contact ${id} changed since version ${dto.version}; reload it (now version ${contact.version})`, {
          currentVersion: contact.version,
        });
      }
      const { version: _v, ...changes } = dto;
      await this.updateWithin(manager, caller, contact, editableChanges(caller, contact, changes));
    });
    return this.get(caller, id);
  }

  /** Edits a contact the caller loaded in this transaction; refused (409) if it changed since. Audited. */
  async updateWithin(manager: EntityManager, caller: CrmCaller, contact: Contact, changes: ContactChanges): Promise<Contact> {
    if (changes.firstName === null || changes.lastName === null) {
      throw CrmError.invalidField(changes.firstName === null ? 'firstName' : 'lastName', 'required', 'a contact keeps a first and a last name');
    }
    if (changes.companyId && changes.companyId !== contact.companyId) await this.companies.requireCompany(manager, changes.companyId, 'companyId', caller);
    const after: ContactFields = {
      companyId: changes.companyId === undefined ? contact.companyId : changes.companyId,
      firstName: changes.firstName === undefined ? contact.firstName : changes.firstName.trim(),
      lastName: changes.lastName === undefined ? contact.lastName : changes.lastName.trim(),
      middleName: changes.middleName === undefined ? contact.middleName : blankToNull(changes.middleName),
      phone: changes.phone === undefined ? contact.phone : blankToNull(changes.phone),
      phoneExtension: changes.phoneExtension === undefined ? contact.phoneExtension : blankToNull(changes.phoneExtension),
      email: changes.email === undefined ? contact.email : blankToNull(changes.email),
      doNotContact: changes.doNotContact ?? contact.doNotContact,
      jobTitle: changes.jobTitle === undefined ? contact.jobTitle : blankToNull(changes.jobTitle),
    };
    const diff = diffFields(contact as ContactFields, after, AUDITED_CONTACT_FIELDS);
    if (diff.length === 0) return contact;
    const result = await manager.update(Contact, { id: contact.id, version: contact.version }, { ...after, ...matchKeys(after) });
    if (!result.affected) throw new CrmError('STALE_VERSION', `Contact ${contact.id} changed while saving; reload it`);
    await this.audit.record(manager, caller, { entityType: CONTACT_AUDIT_TYPE, entityId: contact.id, action: 'update', changes: diff });
    if (diff.some((c) => SEARCHED_CONTACT_FIELDS.includes(c.field))) await this.changes.changed(manager, CONTACT_AUDIT_TYPE, [contact.id]);
    return this.load(manager, contact.id);
  }

  /**
   * The contact a record points at; 400 naming `field` when there is none with this id, or (given
   * the `caller`) when the caller may not see it: the same answer, so the id tells nothing.
   */
  async requireContact(manager: EntityManager, id: number, field: string, caller?: CrmCaller): Promise<Contact> {
    const missing = () => CrmError.invalidField(field, 'exists', `${field} ${id} is not a known contact`);
    const contact = await manager.findOne(Contact, { where: { id } });
    if (!contact) throw missing();
    if (caller) await this.visibility.requireReference(manager, caller, 'contact', id, missing);
    return contact;
  }

  /** Contacts with the same normalised email or phone, ordered by id (for dedupe suggestions). */
  async findMatching(manager: EntityManager, values: { email?: string | null; phone?: string | null }): Promise<Contact[]> {
    const emailKey = normalizeEmail(values.email);
    const phoneKey = normalizePhone(values.phone);
    if (!emailKey && !phoneKey) return [];
    const qb = manager.createQueryBuilder(Contact, 'c');
    qb.where(
      new Brackets((w) => {
        if (emailKey) w.orWhere('c.emailKey = :emailKey', { emailKey });
        if (phoneKey) w.orWhere('c.phoneKey = :phoneKey', { phoneKey });
      }),
    );
    return qb.orderBy('c.id', 'ASC').getMany();
  }

  private async load(manager: EntityManager, id: number, lock = false): Promise<Contact> {
    return this.transactions.loadOrFail(manager, Contact, { id }, { label: 'Contact', id, lock });
  }

  private async loadVisible(manager: EntityManager, caller: CrmCaller, id: number, lock = false): Promise<Contact> {
    const contact = await this.load(manager, id, lock);
    await this.visibility.requireVisible(manager, caller, 'contact', id);
    return contact;
  }
}

const ALIASES = { contact: 'c' };

/** One search word: any name part or the email contains it, or (with 3+ digits) the phone does, where the caller may search those. */
function wordMatches(caller: CrmCaller, index: number, word: string): Brackets {
  const text = `w${index}`;
  const digitsParam = `d${index}`;
  const digits = word.replace(/\D/g, '');
  return new Brackets((w) => {
    const params = { [text]: likePattern(word) };
    w.where(`LOWER(c.firstName) LIKE :${text} ${LIKE_ESCAPE}`, params)
      .orWhere(`LOWER(c.lastName) LIKE :${text} ${LIKE_ESCAPE}`, params)
      .orWhere(`LOWER(c.middleName) LIKE :${text} ${LIKE_ESCAPE}`, params)
      .orWhere(searchableBy(caller, `c.emailKey LIKE :${text} ${LIKE_ESCAPE}`, params, ALIASES));
    if (digits.length >= 3) w.orWhere(searchableBy(caller, `c.phoneKey LIKE :${digitsParam} ${LIKE_ESCAPE}`, { [digitsParam]: likePattern(digits) }, ALIASES));
  });
}

function matchKeys(fields: Pick<Contact, 'phone' | 'email'>): Pick<Contact, 'phoneKey' | 'emailKey'> {
  return { phoneKey: normalizePhone(fields.phone), emailKey: normalizeEmail(fields.email) };
}

function blankToNull(text: string | null | undefined): string | null {
  return text?.trim() || null;
}

/** A contact checked and waiting to be inserted; `id` is set once it is. */
export class ContactDraft {
  id: number | null = null;
  /** The partner whose supervisor creates it on its own (it stays visible to that partner), else `null`. */
  partnerCompanyId: number | null = null;

  constructor(
    /** An existing company's id, or a company drafted in the same batch. */
    readonly company: number | CompanyDraft | null,
    readonly fields: Omit<ContactFields, 'companyId'>,
    readonly keys: Pick<Contact, 'phoneKey' | 'emailKey'>,
  ) {}

  /** The company's id; a drafted company must have been inserted. */
  companyId(): number | null {
    if (this.company === null || typeof this.company === 'number') return this.company;
    if (this.company.id === null) throw new Error('A drafted contact was inserted before its drafted company');
    return this.company.id;
  }
}
