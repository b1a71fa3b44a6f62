import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { CrmError } from '../../core/errors/crm-error';
import type { Contact } from '../../directory/contact.entity';
import { ContactsService } from '../../directory/contacts.service';
import type { CreateLeadDto } from '../../leads/dto/create-lead.dto';
import type { UpdateLeadDto } from '../../leads/dto/update-lead.dto';
import { isClosedStatus } from '../../leads/lead-status';
import type { PassedChecks } from '../../leads/lead-references.service';
import { LEAD_AUDIT_TYPE, LeadWriter } from '../../leads/lead-writer.service';
import type { Lead } from '../../leads/lead.entity';
import { DuplicateFinder, type DuplicateMatch } from './duplicate-finder.service';
import { IntakeLookupCache } from './intake-lookup-cache';
import type { IntakeOutcome, IntakeRecord } from './intake-record';
import { IntakeSourceMatcher, type SourceHint } from './intake-source-matcher.service';
import { IntakeValidator, type IntakeContact, type PreparedIntake } from './intake-validator.service';
import { LeadRouter } from './lead-router.service';
import { type PageMatches, recordKeys } from './page-matches';

/** How an entry point wants a record taken. */
export interface IntakeOptions extends SourceHint {
  /**
   * The record stands for one lead to keep in step (a CSV row): a lead it matches by email, TIN or
   * website is updated (or skipped when nothing differs), whatever the source's `updateLead` says.
   */
  upsert?: boolean;
  /** Catalogue lookups shared by the records of one batch. */
  cache?: IntakeLookupCache;
}

/** The outcome with what the record was matched to. */
export interface IntakeResult extends IntakeOutcome {
  /** The record matched an existing contact (email/phone) or company (TIN/website). */
  duplicate: boolean;
  sourceId: number;
}

/** Fields a repeated record may change on its lead, compared one by one. */
const REFRESHED_FIELDS = ['name', 'leadCompanyName', 'jobTitle', 'city', 'channel', 'customerRequirements', 'salesDirectionId', 'productId', 'marketingCampaignId'] as const;
type RefreshedField = (typeof REFRESHED_FIELDS)[number];

/**
 * The one intake pipeline every entry point (REST intake, CSV, distributor sync) goes through:
 * match the source, validate, find duplicates, apply the source's rules, route to an owner, write
 * through `LeadWriter`, audit. It works inside the caller's transaction and writes nothing until
 * the record has passed every check.
 */
@Injectable()
export class IntakePipeline {
  constructor(
    private readonly matcher: IntakeSourceMatcher,
    private readonly validator: IntakeValidator,
    private readonly duplicates: DuplicateFinder,
    private readonly router: LeadRouter,
    private readonly leads: LeadWriter,
    private readonly contacts: ContactsService,
    private readonly audit: AuditLogService,
  ) {}

  /** Takes one record: 422 `UNPROCESSABLE` when its source matches nothing, 400 `VALIDATION_FAILED` when it is invalid. */
  async ingestWithin(manager: EntityManager, caller: CrmCaller, record: IntakeRecord, options: IntakeOptions = {}): Promise<IntakeResult> {
    return this.commit(manager, caller, await this.prepare(manager, record, options), options);
  }

  /**
   * Takes the records of one page inside the caller's transaction; a refused record is answered with
   * its `CrmError` in its place and changes nothing, the others are written. Every record is checked
   * before it writes, so the page normally runs without a savepoint per record and with its audit
   * entries written together; should a record be refused only while writing (a clash found by a
   * write-time check), the page is rolled back and taken again a record per savepoint.
   */
  async ingestBatchWithin(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions = {}): Promise<(IntakeResult | CrmError)[]> {
    const batchOptions = { ...options, cache: options.cache ?? new IntakeLookupCache() };
    try {
      return await manager.transaction((inner) => this.audit.batched(inner, () => this.ingestChecked(inner, caller, records, batchOptions)));
    } catch (error) {
      if (!(error instanceof RefusedWhileWriting)) throw error;
      return this.ingestEach(manager, caller, records, batchOptions);
    }
  }

  /** Each record checked, what the page may match read at once, then each valid record written; a refusal while writing aborts the attempt. */
  private async ingestChecked(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions): Promise<(IntakeResult | CrmError)[]> {
    const checked: (PreparedIntake | CrmError)[] = [];
    for (const record of records) checked.push(await refusalOr(() => this.prepare(manager, record, options)));
    const passed: PassedChecks = new Set();
    const page = await this.duplicates.prefetch(manager, checked.filter((c): c is PreparedIntake => !(c instanceof CrmError)));
    const results: (IntakeResult | CrmError)[] = [];
    for (const prepared of checked) {
      if (prepared instanceof CrmError) {
        results.push(prepared);
        continue;
      }
      const result = await refusalOr(() => this.commit(manager, caller, prepared, options, page, passed));
      if (result instanceof CrmError) throw new RefusedWhileWriting(result);
      results.push(result);
    }
    return results;
  }

  /** The careful way: each record in its own savepoint, so a refusal rolls back only its own writes. */
  private async ingestEach(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions): Promise<(IntakeResult | CrmError)[]> {
    const results: (IntakeResult | CrmError)[] = [];
    for (const record of records) {
      results.push(await refusalOr(() => manager.transaction((inner) => this.ingestWithin(inner, caller, record, options))));
    }
    return results;
  }

  /** Writes a checked record and its intake audit entry. */
  private async commit(
    manager: EntityManager,
    caller: CrmCaller,
    prepared: PreparedIntake,
    options: IntakeOptions,
    page?: PageMatches,
    passed?: PassedChecks,
  ): Promise<IntakeResult> {
    const result = await this.write(manager, caller, prepared, options, page, passed);
    await this.audit.record(manager, caller, {
      entityType: LEAD_AUDIT_TYPE,
      entityId: result.leadId,
      action: 'intake',
      changes: [
        {
          field: 'intake',
          before: null,
          after: {
            status: result.status,
            source: prepared.source.code,
            duplicate: result.duplicate,
            duplicateOfLeadId: result.duplicateOfLeadId ?? null,
            externalSource: prepared.externalSource,
            externalId: prepared.externalId,
          },
        },
      ],
    });
    return result;
  }

  /** Everything short of writing: the source matched and the record checked (a dry run stops here). */
  async prepare(manager: EntityManager, record: IntakeRecord, options: IntakeOptions = {}): Promise<PreparedIntake> {
    const source = await this.matcher.match(manager, record, options, options.cache);
    return this.validator.prepare(manager, record, source, options.cache);
  }

  /** `page`, when given, answers the lookups and is told what was written; `passed` remembers the batch's reference checks. */
  private async write(
    manager: EntityManager,
    caller: CrmCaller,
    prepared: PreparedIntake,
    options: IntakeOptions,
    page?: PageMatches,
    passed?: PassedChecks,
  ): Promise<IntakeResult> {
    const base = { sourceId: prepared.source.id };
    const imported = await this.duplicates.findImported(manager, prepared, page);
    if (imported) {
      page?.retire();
      return { ...base, duplicate: true, ...(await this.refresh(manager, caller, imported, prepared)) };
    }

    const match = await this.duplicates.find(manager, prepared, page);
    if (match.contact && prepared.source.updateContact && prepared.contact) {
      page?.retire();
      await this.refreshContact(manager, caller, match.contact, prepared.contact);
    }
    if (match.openLead && (options.upsert || prepared.source.updateLead)) {
      page?.retire();
      const refreshed = await this.refresh(manager, caller, match.openLead, prepared);
      return { ...base, duplicate: match.duplicate, ...refreshed, duplicateOfLeadId: match.openLead.id };
    }
    const dto = await this.newLead(manager, prepared, match);
    const leadId = await this.leads.createIdWithin(manager, caller, dto, { externalSource: prepared.externalSource, externalId: prepared.externalId }, passed);
    page?.written(recordKeys(prepared), dto.contactId, dto.companyId);
    return {
      ...base,
      status: 'created',
      leadId,
      duplicate: match.duplicate,
      ...(match.openLead ? { duplicateOfLeadId: match.openLead.id } : {}),
    };
  }

  /** A new lead linked to the contact and company the record matched, or creating those it describes. */
  private async newLead(manager: EntityManager, prepared: PreparedIntake, match: DuplicateMatch): Promise<CreateLeadDto> {
    const { record } = prepared;
    const links = linksFor(prepared, match);
    return {
      name: prepared.name,
      sourceId: prepared.source.id,
      leadCompanyName: prepared.leadCompanyName,
      ...links,
      jobTitle: record.jobTitle ?? null,
      salesDirectionId: prepared.salesDirectionId,
      productId: prepared.productId,
      marketingCampaignId: prepared.marketingCampaignId,
      customerRequirements: record.customerRequirements ?? null,
      city: record.city ?? null,
      channel: record.channel ?? null,
      ownerId: await this.router.ownerFor(manager, prepared.source),
    };
  }

  /** Updates the lead with the record's fields that differ; a closed lead or no difference is a skip. */
  private async refresh(manager: EntityManager, caller: CrmCaller, lead: Lead, prepared: PreparedIntake): Promise<IntakeOutcome> {
    if (isClosedStatus(lead.status)) return { status: 'skipped', leadId: lead.id };
    const { record } = prepared;
    const incoming: Partial<Record<RefreshedField, string | number | null>> = {
      name: record.name,
      leadCompanyName: record.companyName,
      jobTitle: record.jobTitle,
      city: record.city,
      channel: record.channel,
      customerRequirements: record.customerRequirements,
      salesDirectionId: record.salesDirection ? prepared.salesDirectionId : undefined,
      productId: record.product ? prepared.productId : undefined,
      marketingCampaignId: record.marketingCampaign ? prepared.marketingCampaignId : undefined,
    };
    const changes = Object.fromEntries(
      REFRESHED_FIELDS.filter((field) => incoming[field] !== undefined && incoming[field] !== lead[field]).map((field) => [field, incoming[field]]),
    ) as UpdateLeadDto;
    if (Object.keys(changes).length === 0) return { status: 'skipped', leadId: lead.id };
    await this.leads.updateWithin(manager, caller, lead, { ...changes, version: lead.version });
    return { status: 'updated', leadId: lead.id };
  }

  /** The source's `updateContact` rule: the contact takes the record's details that differ. */
  private async refreshContact(manager: EntityManager, caller: CrmCaller, contact: Contact, incoming: IntakeContact): Promise<void> {
    const fields = ['firstName', 'lastName', 'middleName', 'email', 'phone', 'jobTitle'] as const;
    const changes = Object.fromEntries(fields.filter((f) => incoming[f] !== null && incoming[f] !== contact[f]).map((f) => [f, incoming[f]]));
    if (Object.keys(changes).length) await this.contacts.updateWithin(manager, caller, contact, changes);
  }
}

/**
 * The company and contact of a new lead. A matched contact brings its own company (a lead's contact
 * must belong to its company); otherwise a matched company is linked, or the one described created.
 */
function linksFor(prepared: PreparedIntake, match: DuplicateMatch): Pick<CreateLeadDto, 'companyId' | 'newCompany' | 'contactId' | 'newContact'> {
  if (match.contact) return { contactId: match.contact.id, companyId: match.contact.companyId };
  const company = match.company ? { companyId: match.company.id } : prepared.company ? { newCompany: prepared.company } : {};
  if (!prepared.contact) return company;
  const { jobTitle: _j, ...contact } = prepared.contact;
  return { ...company, newContact: contact };
}

/** A record refused after the batch started writing: the batch's writes must be rolled back. */
class RefusedWhileWriting extends Error {
  constructor(readonly refusal: CrmError) {
    super(refusal.message);
  }
}

/** The work's result, or the `CrmError` that refused it; anything else (the database failing) is thrown. */
async function refusalOr<T>(work: () => Promise<T>): Promise<T | CrmError> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CrmError) return error;
    throw error;
  }
}
