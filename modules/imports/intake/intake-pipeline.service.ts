import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { CrmError } from '../../core/errors/crm-error';
import { fromDatabaseError } from '../../core/errors/crm-exception.filter';
import type { Contact } from '../../directory/contact.entity';
import { ContactDraft, ContactsService } from '../../directory/contacts.service';
import type { CreateLeadDto } from '../../leads/dto/create-lead.dto';
import type { UpdateLeadDto } from '../../leads/dto/update-lead.dto';
import { isClosedStatus } from '../../leads/lead-status';
import type { PassedChecks } from '../../leads/lead-references.service';
import { LEAD_AUDIT_TYPE, LeadDraft, LeadWriter } from '../../leads/lead-writer.service';
import type { Lead } from '../../leads/lead.entity';
import { DuplicateFinder } from './duplicate-finder.service';
import { IntakeKeyLocks } from './intake-key-locks.service';
import { IntakeLookupCache } from './intake-lookup-cache';
import type { IntakeOutcome, IntakeRecord, IntakeRule } from './intake-record';
import { IntakeSourceMatcher, type SourceHint } from './intake-source-matcher.service';
import { IntakeValidator, type IntakeContact, type PreparedIntake } from './intake-validator.service';
import { type LeadLinksDto, linksFor } from './lead-links';
import { LeadRouter } from './lead-router.service';
import { type PageContact, type PageLead, type PageMatches, recordKeys } from './page-matches';

/** How an entry point wants a record taken. */
export interface IntakeOptions extends SourceHint {
  /**
   * The record stands for one lead to keep in step (a CSV row): its external id, when it has one,
   * identifies that lead (unknown: a new lead); without one, the open lead it matches by email, TIN
   * or website is updated (or skipped when nothing differs), whatever the source's `updateLead` says.
   */
  upsert?: boolean;
  /** Catalogue lookups shared by the records of one batch. */
  cache?: IntakeLookupCache;
  /**
   * The fields every record of this entry point carries in full (a sync's mapped fields): one left
   * out was emptied at the source, so pulling the record again clears it on its lead, and on its
   * lead's contact under the source's `updateContact`. Default: none (a field left out is kept).
   */
  complete?: readonly (keyof IntakeRecord)[];
  /**
   * The records are a page of an import run, which audits the page itself (`ImportPageAudit`) and
   * keeps where each lead came from: no `intake` entry per lead.
   */
  inRun?: boolean;
  /**
   * A batch waits for this after checking its records and before locking their keys and looking
   * anything up (a sync page waits for the page before it to commit, so it sees what that one wrote).
   */
  beforeLookups?: () => Promise<void>;
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
    private readonly locks: IntakeKeyLocks,
  ) {}

  /**
   * Takes one record: 422 `UNPROCESSABLE` when its source matches nothing, 400 `VALIDATION_FAILED` when it is invalid.
   * The caller's transaction must be `CrmTransactions.runReadCommitted` (see `IntakeKeyLocks`), as for every method here that writes.
   */
  async ingestWithin(manager: EntityManager, caller: CrmCaller, record: IntakeRecord, options: IntakeOptions = {}): Promise<IntakeResult> {
    const prepared = await this.prepare(manager, record, options);
    await this.locks.lockKeysOf(manager, [recordKeys(prepared)]);
    return this.finish(manager, caller, prepared, await this.write(manager, caller, prepared, options, { passed: new Set() }), options);
  }

  /**
   * Takes the records of one page inside the caller's transaction; a refused record is answered with
   * its `CrmError` in its place and changes nothing, the others are written. Every record is checked
   * before anything is written, what the page may match is read at once, and the new leads, contacts
   * and companies are drafted and inserted together with multi-row INSERTs, their audit entries too.
   * Should a record be refused only while writing (a clash found by a write-time check, or by a
   * unique index), the page is rolled back and taken again a record per savepoint.
   */
  async ingestBatchWithin(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions = {}): Promise<(IntakeResult | CrmError)[]> {
    const batchOptions = { ...options, cache: options.cache ?? new IntakeLookupCache() };
    try {
      return await this.audit.savepoint(manager, (inner) => this.audit.batched(inner, () => this.ingestChecked(inner, caller, records, batchOptions)));
    } catch (error) {
      if (!(error instanceof RefusedWhileWriting) && !fromDatabaseError(error)) throw error;
      return this.ingestEach(manager, caller, records, batchOptions);
    }
  }

  /** Each record checked, the valid ones' keys locked, what they may match read at once, each drafted, then the drafts inserted; a refusal while writing aborts the attempt. */
  private async ingestChecked(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions): Promise<(IntakeResult | CrmError)[]> {
    const checked: (PreparedIntake | CrmError)[] = [];
    for (const record of records) checked.push(await refusalOr(() => this.prepare(manager, record, options)));
    const valid = checked.filter((c): c is PreparedIntake => !(c instanceof CrmError));
    // Worked out before waiting: they depend on the records alone.
    const keys = valid.map(recordKeys);
    await options.beforeLookups?.();
    await this.locks.lockKeysOf(manager, keys);
    const page = await this.duplicates.prefetch(manager, valid);
    const batch: IntakeBatch = { page, passed: new Set() };
    const written: (Written | CrmError)[] = [];
    for (const prepared of checked) {
      if (prepared instanceof CrmError) {
        written.push(prepared);
        continue;
      }
      const result = await refusalOr(() => this.write(manager, caller, prepared, options, batch));
      if (result instanceof CrmError) throw new RefusedWhileWriting(result);
      written.push(result);
    }
    const refusal = await refusalOr(() => this.insertDrafted(manager, caller, page));
    if (refusal instanceof CrmError) throw new RefusedWhileWriting(refusal);
    const results: (IntakeResult | CrmError)[] = [];
    for (const [index, outcome] of written.entries()) {
      results.push(outcome instanceof CrmError ? outcome : await this.finish(manager, caller, checked[index] as PreparedIntake, outcome, options));
    }
    return results;
  }

  /** The careful way: each record in its own savepoint, so a refusal rolls back only its own writes. */
  private async ingestEach(manager: EntityManager, caller: CrmCaller, records: IntakeRecord[], options: IntakeOptions): Promise<(IntakeResult | CrmError)[]> {
    const results: (IntakeResult | CrmError)[] = [];
    for (const record of records) {
      results.push(await refusalOr(() => this.audit.savepoint(manager, (inner) => this.ingestWithin(inner, caller, record, options))));
    }
    return results;
  }

  /** The outcome of a written record (its lead inserted by now), with its intake audit entry unless a run keeps where it came from. */
  private async finish(manager: EntityManager, caller: CrmCaller, prepared: PreparedIntake, written: Written, options: IntakeOptions): Promise<IntakeResult> {
    const leadId = insertedId(written.lead);
    const duplicateOfLeadId = written.duplicateOf === null ? undefined : insertedId(written.duplicateOf);
    if (!options.inRun) await this.audit.record(manager, caller, {
      entityType: LEAD_AUDIT_TYPE,
      entityId: leadId,
      action: 'intake',
      changes: [
        {
          field: 'intake',
          before: null,
          after: {
            status: written.status,
            source: prepared.source.code,
            duplicate: written.duplicate,
            duplicateOfLeadId: duplicateOfLeadId ?? null,
            externalSource: prepared.externalSource,
            externalId: prepared.externalId,
          },
        },
      ],
    });
    return {
      status: written.status,
      leadId,
      rules: written.rules,
      duplicate: written.duplicate,
      sourceId: prepared.source.id,
      ...(duplicateOfLeadId === undefined ? {} : { duplicateOfLeadId }),
    };
  }

  /** Inserts what the page drafted so far (before anything reads the database for it). */
  private async insertDrafted(manager: EntityManager, caller: CrmCaller, page: PageMatches): Promise<void> {
    await this.leads.insertDrafts(manager, caller, page.takeDrafts());
  }

  /** Everything short of writing: the source matched and the record checked (a dry run stops here). */
  async prepare(manager: EntityManager, record: IntakeRecord, options: IntakeOptions = {}): Promise<PreparedIntake> {
    const source = await this.matcher.match(manager, record, options, options.cache);
    return this.validator.prepare(manager, record, source, options.cache);
  }

  /**
   * Applies the source's rules to a checked record: a repeated import or a matched open lead is
   * refreshed, a matched contact refreshed when the source says so, and otherwise a new lead drafted,
   * linked to what the record matched. In a batch the draft waits in the page; alone it is inserted.
   */
  private async write(manager: EntityManager, caller: CrmCaller, prepared: PreparedIntake, options: IntakeOptions, batch: IntakeBatch): Promise<Written> {
    const { page } = batch;
    // A live lookup must see what the page drafted.
    if (page && !page.answers()) await this.insertDrafted(manager, caller, page);
    const imported = await this.duplicates.findImported(manager, prepared, page);
    if (imported) {
      const refreshed = await this.refreshImported(manager, caller, imported, prepared, options, page);
      return { duplicate: true, ...refreshed, rules: ['externalId', ...refreshed.rules], duplicateOf: null };
    }

    const rules: IntakeRule[] = [];
    const match = await this.duplicates.find(manager, prepared, page);
    if (match.contact && prepared.source.updateContact && prepared.contact) {
      await this.refreshContact(manager, caller, match.contact, prepared.contact, page);
      rules.push('updateContact');
    }
    // A record with an external id is identified by it alone (findImported above), not by its contact details.
    const upsertByMatch = options.upsert === true && prepared.externalId === null;
    if (match.openLead && (upsertByMatch || prepared.source.updateLead)) {
      const refreshed = await this.refresh(manager, caller, match.openLead, prepared, page);
      return { duplicate: match.duplicate, ...refreshed, rules: [...rules, 'updateLead', ...refreshed.rules], duplicateOf: refreshed.lead };
    }
    if (match.duplicate) rules.push('linkDuplicate');
    if (prepared.source.routingMode !== 'none') rules.push('routing');
    const links = linksFor(prepared, match);
    const stamp = { externalSource: prepared.externalSource, externalId: prepared.externalId };
    const draft = await this.leads.draftWithin(manager, caller, await this.newLead(manager, prepared, links.dto), { stamp, passed: batch.passed, ...links.link });
    if (page) page.add(recordKeys(prepared), draft);
    else await this.leads.insertDrafts(manager, caller, [draft]);
    return { status: 'created', lead: draft, rules, duplicate: match.duplicate, duplicateOf: match.openLead ? leadRef(match.openLead) : null };
  }

  /** A new lead linked to the contact and company the record matched, or creating those it describes. */
  private async newLead(manager: EntityManager, prepared: PreparedIntake, links: LeadLinksDto): Promise<CreateLeadDto> {
    const { record } = prepared;
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

  /**
   * A record pulled again (its external id is known): its lead is refreshed, and under the source's
   * `updateContact` so is the lead's own contact; either changing makes it `updated`. Fields the
   * entry point carries in full (`complete`) and the record left out are cleared on both.
   */
  private async refreshImported(
    manager: EntityManager,
    caller: CrmCaller,
    imported: PageLead,
    prepared: PreparedIntake,
    options: IntakeOptions,
    page?: PageMatches,
  ): Promise<Pick<Written, 'status' | 'lead' | 'rules'>> {
    const cleared = new Set<string>(options.complete ?? []);
    const refreshed = await this.refresh(manager, caller, imported, prepared, page, cleared);
    if (!refreshed.contactId || !prepared.source.updateContact || !prepared.contact) return refreshed;
    const contact = await this.contacts.requireContact(manager, refreshed.contactId, 'contactId');
    const changed = await this.refreshContact(manager, caller, contact, prepared.contact, page, cleared);
    return { status: changed ? 'updated' : refreshed.status, lead: refreshed.lead, rules: [...refreshed.rules, 'updateContact'] };
  }

  /**
   * Updates the lead with the record's fields that differ; a closed lead or no difference is a skip.
   * A field in `cleared` that the record left out is emptied.
   */
  private async refresh(
    manager: EntityManager,
    caller: CrmCaller,
    matched: PageLead,
    prepared: PreparedIntake,
    page?: PageMatches,
    cleared: ReadonlySet<string> = new Set(),
  ): Promise<Pick<Written, 'status' | 'lead' | 'rules'> & { contactId: number | null }> {
    const lead = matched instanceof LeadDraft ? await this.storedLead(manager, caller, matched, page) : matched;
    if (isClosedStatus(lead.status)) return { status: 'skipped', lead: lead.id, rules: ['leadClosed'], contactId: null };
    const { record } = prepared;
    const emptied = (field: keyof IntakeRecord, value: string | undefined) => value ?? (cleared.has(field) ? null : undefined);
    const incoming: Partial<Record<RefreshedField, string | number | null>> = {
      name: record.name ?? (cleared.has('name') ? prepared.name : undefined),
      leadCompanyName: emptied('companyName', record.companyName),
      jobTitle: emptied('jobTitle', record.jobTitle),
      city: emptied('city', record.city),
      channel: record.channel,
      customerRequirements: emptied('customerRequirements', record.customerRequirements),
      salesDirectionId: record.salesDirection ? prepared.salesDirectionId : undefined,
      productId: record.product ? prepared.productId : undefined,
      marketingCampaignId: record.marketingCampaign ? prepared.marketingCampaignId : undefined,
    };
    const changes = Object.fromEntries(
      REFRESHED_FIELDS.filter((field) => incoming[field] !== undefined && incoming[field] !== lead[field]).map((field) => [field, incoming[field]]),
    ) as UpdateLeadDto;
    if (Object.keys(changes).length === 0) return { status: 'skipped', lead: lead.id, rules: [], contactId: lead.contactId };
    // The page holds the lead as it was read.
    page?.retire();
    await this.leads.updateWithin(manager, caller, lead, { ...changes, version: lead.version });
    return { status: 'updated', lead: lead.id, rules: [], contactId: lead.contactId };
  }

  /**
   * The source's `updateContact` rule: the contact takes the record's details that differ, and loses
   * those in `cleared` the record left out (only for the record's own contact: a contact matched by
   * another record's email or phone keeps what that record does not say). True when it changed.
   */
  private async refreshContact(
    manager: EntityManager,
    caller: CrmCaller,
    matched: PageContact,
    incoming: IntakeContact,
    page?: PageMatches,
    cleared: ReadonlySet<string> = new Set(),
  ): Promise<boolean> {
    const contact = matched instanceof ContactDraft ? await this.storedContact(manager, caller, matched, page) : matched;
    const fields = ['firstName', 'lastName', 'middleName', 'email', 'phone', 'phoneExtension', 'jobTitle'] as const;
    // An extension belongs to its phone: a record that carries the phone says whether there is one.
    const clears = (f: (typeof fields)[number]) => cleared.has(f) || (f === 'phoneExtension' && cleared.has('phone'));
    const changed = fields.filter((f) => (incoming[f] !== null ? incoming[f] !== contact[f] : clears(f) && contact[f] !== null));
    if (changed.length === 0) return false;
    // The page matches on the contact's keys as they were read.
    page?.retire();
    await this.contacts.updateWithin(manager, caller, contact, Object.fromEntries(changed.map((f) => [f, incoming[f]])));
    return true;
  }

  /** A lead the page drafted, as stored once the page's drafts are inserted. */
  private async storedLead(manager: EntityManager, caller: CrmCaller, draft: LeadDraft, page?: PageMatches): Promise<Lead> {
    if (page) await this.insertDrafted(manager, caller, page);
    const lead = await this.leads.find(manager, insertedId(draft));
    if (!lead) throw new Error(`Lead ${draft.id} was inserted by this page but cannot be read back`);
    return lead;
  }

  /** A contact the page drafted, as stored once the page's drafts are inserted. */
  private async storedContact(manager: EntityManager, caller: CrmCaller, draft: ContactDraft, page?: PageMatches): Promise<Contact> {
    if (page) await this.insertDrafted(manager, caller, page);
    return this.contacts.requireContact(manager, insertedId(draft), 'contactId');
  }
}

/** What the records of one batch share while they are written. */
interface IntakeBatch {
  /** What the page may match, and the drafts it holds; absent for a record taken alone. */
  page?: PageMatches;
  /** Reference checks the batch's new leads passed. */
  passed: PassedChecks;
}

/** A record written; a lead it created may still be a draft the page inserts with the others. */
interface Written {
  status: IntakeOutcome['status'];
  rules: IntakeRule[];
  duplicate: boolean;
  lead: number | LeadDraft;
  /** The open lead the record duplicated, if any. */
  duplicateOf: number | LeadDraft | null;
}

function leadRef(lead: PageLead): number | LeadDraft {
  return lead instanceof LeadDraft ? lead : lead.id;
}

/** The id of a lead, contact or company, which a draft has once the page inserted it. */
function insertedId(row: number | { id: number | null }): number {
  if (typeof row === 'number') return row;
  if (row.id === null) throw new Error('A drafted row was used before the page inserted it');
  return row.id;
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
