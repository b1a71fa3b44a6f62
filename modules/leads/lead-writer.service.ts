import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { callerCan, type CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { insertManyWithoutReload } from '../core/database/insert-without-reload';
import { RecordChanges } from '../core/records/record-changes.service';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import type { Contact } from '../directory/contact.entity';
import type { ContactDraft } from '../directory/contacts.service';
import { CrmError } from '../core/errors/crm-error';
import type { CreateLeadDto } from './dto/create-lead.dto';
import type { UpdateLeadDto } from './dto/update-lead.dto';
import { refuseClearedParties, requirePartiesFor } from './lead-parties';
import { closeDateFromTerms } from './lead-qualification';
import { type CompanyRef, type ContactRef, LeadReferences, type PassedChecks } from './lead-references.service';
import { isClosedStatus, LEAD_STATUSES } from './lead-status';
import { LeadSearchIndex } from './lead-search-index.service';
import { LeadTally } from './lead-tally.service';
import { Lead } from './lead.entity';

export const LEAD_AUDIT_TYPE = 'lead';

/**
 * The `RecordChanges` kind announced when a lead moved to another source: ids `[leadId]`, detail
 * `{ from, to }` (the source ids). What is credited to a lead's source (won opportunities) follows it.
 */
export const LEAD_SOURCE_MOVED = 'lead:source-moved';

/** The fields a caller edits through the lead form, in form order. */
const FORM_FIELDS = [
  'name',
  'sourceId',
  'leadCompanyName',
  'companyId',
  'contactId',
  'jobTitle',
  'marketingCampaignId',
  'salesDirectionId',
  'productId',
  'contentDistributionChannelId',
  'customerRequirements',
  'ownerId',
  'city',
  'partnerCompanyId',
  'partnerRepresentativeId',
  'channel',
  'goal',
  'implementationOptions',
  'budgetIsSet',
  'estimatedAmount',
  'budget',
  'procurementProcedure',
  'decisionLevel',
  'terms',
  'estimatedCloseDate',
  'termsComment',
  'contactPersonLevel',
  'decisionMaker',
  'influenceOnDecision',
  'competitors',
  'selectionCriteria',
  'complianceWithCriteria',
  'status',
  'lostReason',
] as const satisfies readonly (keyof Lead)[];

/** The fields a lead is searched by (with its company's name and its contact's): a change re-indexes it. */
const SEARCHED_FIELDS: readonly string[] = ['name', 'leadCompanyName', 'companyId', 'contactId'];

/** Every field the audit log follows. */
export const AUDITED_LEAD_FIELDS = [...FORM_FIELDS, 'customerId', 'opportunityId', 'convertedAt', 'externalSource', 'externalId'] as const;

type AuditedField = (typeof AUDITED_LEAD_FIELDS)[number];
/** A lead's audited values: what is compared, written and recorded. */
export type LeadState = Pick<Lead, AuditedField>;

/** Where an automatic import found a lead, so re-importing it updates instead of duplicating. */
export interface LeadImportStamp {
  externalSource?: string | null;
  externalId?: string | null;
}

/** What conversion sets on a lead. */
export interface LeadConversion {
  customerId: number | null;
  opportunityId: number | null;
}

/** What a batch writer hands `draftWithin` besides the form. */
export interface LeadDraftOptions {
  stamp?: LeadImportStamp;
  /** Reference checks the batch's new leads passed already. */
  passed?: PassedChecks;
  /**
   * The company to link instead of the form's: one the caller holds already (an id it read in this
   * transaction, or a company drafted for an earlier lead of the batch), so it is not looked up again.
   */
  linkCompany?: CompanyRef;
  /** The contact to link instead of the form's, held already like `linkCompany`; it must belong to the lead's company. */
  linkContact?: Contact | ContactDraft;
}

/** The company and contact of a lead being written: ids, or drafts still to insert. */
export interface LeadLinks {
  company: CompanyRef | null;
  contact: ContactRef | null;
}

/** A new lead checked and waiting to be inserted; `id` is set once it is. */
export class LeadDraft implements LeadLinks {
  id: number | null = null;

  constructor(
    readonly state: LeadState,
    readonly createdAt: Date,
    readonly company: CompanyRef | null,
    readonly contact: ContactRef | null,
  ) {}
}

const REQUIRED_FIELDS = ['name', 'sourceId', 'salesDirectionId'] as const;

/**
 * Creates and changes leads inside the caller's transaction, with every rule of the lead form:
 * references (via `LeadReferences`), the locked import source, partner scoping, the status
 * lifecycle, the budget and close-date rules, and the audit log. The HTTP service, conversion
 * and the intake pipeline all write leads through here.
 */
@Injectable()
export class LeadWriter {
  constructor(
    private readonly references: LeadReferences,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
    private readonly searchIndex: LeadSearchIndex,
    private readonly tally: LeadTally,
    private readonly recordChanges: RecordChanges,
  ) {}

  async createWithin(manager: EntityManager, caller: CrmCaller, dto: CreateLeadDto, stamp: LeadImportStamp = {}): Promise<Lead> {
    return this.load(manager, await this.createIdWithin(manager, caller, dto, stamp));
  }

  /** `createWithin` answering only the new lead's id: an import needs no read-back of what it wrote. */
  async createIdWithin(manager: EntityManager, caller: CrmCaller, dto: CreateLeadDto, stamp: LeadImportStamp = {}): Promise<number> {
    const draft = await this.draftWithin(manager, caller, dto, { stamp });
    await this.insertDrafts(manager, caller, [draft]);
    return draft.id!;
  }

  /**
   * A new lead checked against every rule of the form, with the company and contact it creates
   * drafted, writing nothing: `insertDrafts` writes the drafts of a batch together.
   */
  async draftWithin(manager: EntityManager, caller: CrmCaller, dto: CreateLeadDto, options: LeadDraftOptions = {}): Promise<LeadDraft> {
    assertOneOfEach(dto);
    const createdAt = new Date();
    const next = applyForm(emptyState(), dto);
    next.status = 'new';
    next.externalSource = options.stamp?.externalSource ?? null;
    next.externalId = options.stamp?.externalId ?? null;
    // A partner supervisor's lead is always for their partner company, whatever the body says.
    if (caller.partnerCompanyId !== null) next.partnerCompanyId = caller.partnerCompanyId;
    const links = await this.settle(manager, caller, next, dto, null, createdAt, options);
    return new LeadDraft(next, createdAt, links.company, links.contact);
  }

  /**
   * Inserts drafted leads (and the companies and contacts they draft) with multi-row INSERTs, sets
   * their ids and audits them. The drafts must come from one caller's `draftWithin` in this transaction.
   */
  async insertDrafts(manager: EntityManager, caller: CrmCaller, drafts: LeadDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await this.references.insertDrafted(manager, caller, drafts);
    for (const draft of drafts) {
      draft.state.companyId = refId(draft.company);
      draft.state.contactId = refId(draft.contact);
    }
    const ids = await insertManyWithoutReload(
      manager,
      Lead,
      // Object.assign, not a spread: on Node 20 `{ ...state, more }` gives every row a hidden class of its own,
      // kept in the old generation until a full collection (a large CSV import's peak memory).
      drafts.map((draft) => Object.assign({}, draft.state, { createdById: caller.id, createdAt: draft.createdAt })),
    );
    drafts.forEach((draft, i) => (draft.id = ids[i]));
    await this.searchIndex.indexNew(manager, ids);
    await this.tally.created(manager, drafts.map((draft) => ({ sourceId: draft.state.sourceId, status: draft.state.status })));
    await this.audit.recordCreated(manager, caller, LEAD_AUDIT_TYPE, ids);
  }

  async updateWithin(manager: EntityManager, caller: CrmCaller, lead: Lead, dto: UpdateLeadDto): Promise<Lead> {
    await this.visibility.requireVisible(manager, caller, 'lead', lead.id);
    if (dto.version !== undefined && dto.version !== lead.version) throw staleVersion(lead);
    if (isClosedStatus(lead.status) && !callerCan(caller, 'leads.manage')) {
      throw new CrmError('LOCKED', `Lead ${lead.id} is ${lead.status} and read-only; only a manager (leads.manage) can change it`, { status: lead.status });
    }
    for (const field of REQUIRED_FIELDS) {
      if (dto[field] === null) throw CrmError.invalidField(field, 'required', `${field} is required and cannot be cleared`);
    }
    assertOneOfEach(dto);
    refuseClearedParties(dto, lead);
    const before = snapshot(lead);
    const next = applyForm({ ...before }, dto);
    if (caller.partnerCompanyId !== null) next.partnerCompanyId = caller.partnerCompanyId;
    checkTransition(caller, before, next, dto);
    const links = await this.settle(manager, caller, next, dto, lead, lead.createdAt);
    if (next.status === 'qualified' && before.status !== 'qualified') requirePartiesFor(lead.id, links, 'qualified');
    await this.references.insertDrafted(manager, caller, [links]);
    next.companyId = refId(links.company);
    next.contactId = refId(links.contact);
    await this.references.fileContactUnderCompany(manager, caller, lead, next.companyId, next.contactId);

    const changes = diffFields(before, next, AUDITED_LEAD_FIELDS);
    if (changes.length === 0) return lead;
    const columns = Object.fromEntries(changes.map((c) => [c.field, next[c.field as AuditedField]]));
    const result = await manager.update(Lead, { id: lead.id, version: lead.version }, columns);
    if (!result.affected) throw staleVersion(lead);
    if (changes.some((c) => SEARCHED_FIELDS.includes(c.field))) await this.searchIndex.reindex(manager, [lead.id]);
    await this.tally.moved(manager, before, next);
    if (before.sourceId !== next.sourceId) await this.recordChanges.changed(manager, LEAD_SOURCE_MOVED, [lead.id], { from: before.sourceId, to: next.sourceId });
    await this.audit.record(manager, caller, { entityType: LEAD_AUDIT_TYPE, entityId: lead.id, action: 'update', changes });
    return this.load(manager, lead.id);
  }

  /** Marks a lead converted (the only way a lead gets there), linking the customer and opportunity made from it. */
  async markConvertedWithin(manager: EntityManager, caller: CrmCaller, lead: Lead, conversion: LeadConversion): Promise<Lead> {
    await this.visibility.requireVisible(manager, caller, 'lead', lead.id);
    if (lead.status === 'converted') throw new CrmError('CONFLICT', `Lead ${lead.id} is already converted (customer ${lead.customerId})`, { customerId: lead.customerId });
    if (lead.status === 'lost') throw new CrmError('LOCKED', `Lead ${lead.id} is lost; reopen it before converting it`, { status: lead.status });
    requirePartiesFor(lead.id, { company: lead.companyId, contact: lead.contactId }, 'converted');
    const before = snapshot(lead);
    const next: LeadState = { ...before, status: 'converted', customerId: conversion.customerId, opportunityId: conversion.opportunityId, convertedAt: new Date() };
    const changes = diffFields(before, next, AUDITED_LEAD_FIELDS);
    const columns = Object.fromEntries(changes.map((c) => [c.field, next[c.field as AuditedField]]));
    const result = await manager.update(Lead, { id: lead.id, version: lead.version }, columns);
    if (!result.affected) throw staleVersion(lead);
    await this.tally.moved(manager, before, next);
    await this.audit.record(manager, caller, { entityType: LEAD_AUDIT_TYPE, entityId: lead.id, action: 'convert', changes });
    return this.load(manager, lead.id);
  }

  /** A lead with the company and contact it shows, or `null`. */
  async find(manager: EntityManager, id: number): Promise<Lead | null> {
    return manager.findOne(Lead, { where: { id }, relations: { company: true, contact: true, source: true } });
  }

  private async load(manager: EntityManager, id: number): Promise<Lead> {
    const lead = await this.find(manager, id);
    if (!lead) throw CrmError.notFound('Lead', id);
    return lead;
  }

  /**
   * Resolves and checks references, then applies the budget and close-date rules to `next`; answers
   * the lead's company and contact, either of which may be a draft still to insert.
   */
  private async settle(
    manager: EntityManager,
    caller: CrmCaller,
    next: LeadState,
    dto: UpdateLeadDto,
    current: Lead | null,
    createdAt: Date,
    options: LeadDraftOptions = {},
  ): Promise<LeadLinks> {
    const company = await this.references.resolveCompany(manager, caller, next, dto.newCompany, current, options.linkCompany);
    const contact = await this.references.resolveContact(manager, caller, next, company, dto.newContact, current, options.linkContact);
    await this.references.checkOwner(manager, caller, next.ownerId, current, options.passed);
    await this.references.checkSource(manager, caller, next.sourceId, current, options.passed);
    await this.references.checkLists(manager, dto, current, options.passed);
    await this.references.checkPartner(manager, caller, next, current);
    applyBudgetRule(next, dto);
    applyCloseDateRule(next, dto, current, createdAt);
    return { company, contact };
  }
}

/** An id, or the id a draft got once inserted. */
function refId(ref: CompanyRef | ContactRef | null): number | null {
  if (ref === null || typeof ref === 'number') return ref;
  if (ref.id === null) throw new Error('A lead was inserted before the company or contact drafted with it');
  return ref.id;
}

function assertOneOfEach(dto: UpdateLeadDto): void {
  if (dto.newCompany && dto.companyId !== undefined && dto.companyId !== null) {
    throw CrmError.invalidField('newCompany', 'exclusiveWithCompanyId', 'give either companyId or newCompany, not both');
  }
  if (dto.newContact && dto.contactId !== undefined && dto.contactId !== null) {
    throw CrmError.invalidField('newContact', 'exclusiveWithContactId', 'give either contactId or newContact, not both');
  }
}

/** Forward only; `converted` only through conversion; a manager may reopen a lost lead; lost needs a reason. */
function checkTransition(caller: CrmCaller, before: LeadState, next: LeadState, dto: UpdateLeadDto): void {
  const from = before.status;
  const to = next.status;
  if (to !== from) {
    if (to === 'converted') throw CrmError.invalidField('status', 'conversionOnly', 'status converted is set by converting the lead, not by an update');
    if (from === 'converted') throw CrmError.invalidField('status', 'forwardOnly', 'a converted lead keeps its status');
    const reopen = from === 'lost' && to === 'in_progress';
    if (reopen && !callerCan(caller, 'leads.manage')) throw new CrmError('LOCKED', 'Only a manager (leads.manage) can reopen a lost lead', { status: from });
    if (!reopen && LEAD_STATUSES.indexOf(to) < LEAD_STATUSES.indexOf(from)) {
      throw CrmError.invalidField('status', 'forwardOnly', `status can only move forward (${from} → ${to} is backwards); a lost lead is reopened to in_progress`);
    }
    if (reopen && dto.lostReason === undefined) next.lostReason = null;
  }
  if (next.status === 'lost' && !next.lostReason?.trim()) {
    throw CrmError.invalidField('lostReason', 'requiredWhenLost', 'lostReason is required to mark a lead lost');
  }
  if (next.status !== 'lost' && dto.lostReason !== undefined && dto.lostReason !== null) {
    throw CrmError.invalidField('lostReason', 'onlyWhenLost', 'lostReason is only kept on a lost lead');
  }
}

/** A budget only exists while `budgetIsSet`; turning it off drops the budget. */
function applyBudgetRule(next: LeadState, dto: UpdateLeadDto): void {
  if (next.budgetIsSet || next.budget === null) return;
  if (dto.budget !== undefined && dto.budget !== null) throw CrmError.invalidField('budget', 'requiresBudgetIsSet', 'budget can only be given when budgetIsSet is true');
  next.budget = null;
}

/**
 * A close date not given follows from `terms`, counted from the lead's creation. A date that was
 * derived from the old terms follows the new ones; a date someone typed is kept.
 */
function applyCloseDateRule(next: LeadState, dto: UpdateLeadDto, current: Lead | null, createdAt: Date): void {
  if (dto.estimatedCloseDate !== undefined || !next.terms) return;
  const derivedBefore = current?.terms ? closeDateFromTerms(current.terms, createdAt) : null;
  const derived = next.estimatedCloseDate === null || (next.terms !== current?.terms && next.estimatedCloseDate === derivedBefore);
  if (derived) next.estimatedCloseDate = closeDateFromTerms(next.terms, createdAt);
}

function staleVersion(lead: Lead): CrmError {
  return new CrmError('STALE_VERSION', `Lead ${lead.id} changed since you read it; reload it (now version ${lead.version})`, { currentVersion: lead.version });
}

const EMPTY_STATE = Object.freeze(Object.fromEntries(AUDITED_LEAD_FIELDS.map((field) => [field, null])) as unknown as LeadState);

function emptyState(): LeadState {
  return { ...EMPTY_STATE };
}

function snapshot(lead: Lead): LeadState {
  return Object.fromEntries(AUDITED_LEAD_FIELDS.map((field) => [field, lead[field] ?? null])) as unknown as LeadState;
}

/** Copies every form field the caller gave onto `state`; names are trimmed. */
function applyForm(state: LeadState, dto: UpdateLeadDto): LeadState {
  const given = state as unknown as Record<string, unknown>;
  for (const field of FORM_FIELDS) {
    const value = (dto as Record<string, unknown>)[field];
    if (value !== undefined) given[field] = typeof value === 'string' && field === 'name' ? value.trim() : value;
  }
  if (state.budgetIsSet === null) state.budgetIsSet = false;
  return state;
}
