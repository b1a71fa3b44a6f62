import { Injectable } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { CrmError } from '../core/errors/crm-error';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { Customer } from '../customers/customer.entity';
import { PeopleService } from '../directory/people.service';
import { Lead } from '../leads/lead.entity';
import { isClosedStatus } from '../leads/lead-status';
import { SourceEligibilityService } from '../sources/source-eligibility.service';
import type { SourceAppliesTo } from '../sources/source-type';
import type { OpportunityFieldsDto } from './dto/create-opportunity.dto';
import { isClosedStage, type OpportunityStage } from './opportunity-stage';
import { Opportunity } from './opportunity.entity';
import { WonTally } from './won-tally.service';

export const OPPORTUNITY_AUDIT_TYPE = 'opportunity';

export const AUDITED_OPPORTUNITY_FIELDS = [
  'title',
  'leadId',
  'customerId',
  'originLeadId',
  'sourceId',
  'stage',
  'lostReason',
  'amount',
  'currency',
  'probability',
  'expectedCloseDate',
  'ownerId',
] as const;

/** A new opportunity: its fields and exactly one parent. */
/** `ownerId`: checked when given; `null` is none; left out, the caller when an active person of the directory, else none. */
export type NewOpportunity = Omit<OpportunityFieldsDto, 'ownerId'> & { ownerId?: string | null; leadId?: number; customerId?: number };

/** The record an opportunity hangs on, and the source rule that follows from it. */
interface Parent {
  kind: SourceAppliesTo;
  leadId: number | null;
  customerId: number | null;
  originLeadId: number | null;
  sourceId: number | null;
}

type EditableState = Pick<Opportunity, 'title' | 'sourceId' | 'stage' | 'lostReason' | 'amount' | 'currency' | 'probability' | 'expectedCloseDate' | 'ownerId'>;

/**
 * Every rule of the opportunity form, inside the caller's transaction: one parent, the source rule
 * of that parent's kind, stage and lost reason, amount with currency, an active owner, the audit.
 */
@Injectable()
export class OpportunityWriter {
  constructor(
    private readonly people: PeopleService,
    private readonly eligibility: SourceEligibilityService,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
    private readonly wonTally: WonTally,
  ) {}

  /** `originLeadId` is for conversion: the customer opportunity it opens comes from that lead. */
  async createWithin(manager: EntityManager, caller: CrmCaller, input: NewOpportunity, options: { originLeadId?: number } = {}): Promise<Opportunity> {
    const parent = await this.parentOf(manager, caller, input);
    const state: EditableState = {
      title: input.title.trim(),
      sourceId: input.sourceId === undefined ? parent.sourceId : input.sourceId,
      stage: input.stage ?? 'new',
      lostReason: input.lostReason ?? null,
      amount: input.amount ?? null,
      currency: input.currency ?? null,
      probability: input.probability ?? null,
      expectedCloseDate: input.expectedCloseDate ?? null,
      ownerId: input.ownerId === undefined ? await this.people.defaultOwner(manager, [caller.id]) : input.ownerId,
    };
    await this.assertSource(manager, parent.kind, state.sourceId, parent.sourceId);
    assertStageAndMoney(state);
    if (state.ownerId !== null) await this.people.assertActivePerson(manager, state.ownerId, 'ownerId', caller);
    const values = {
      ...state,
      leadId: parent.leadId,
      customerId: parent.customerId,
      originLeadId: options.originLeadId ?? parent.originLeadId,
      closedAt: isClosedStage(state.stage) ? new Date() : null,
      createdById: caller.id,
    };
    const { identifiers } = await manager.insert(Opportunity, values);
    const id = Number(identifiers[0].id);
    await this.wonTally.changed(manager, values.originLeadId, null, state);
    await this.audit.recordCreated(manager, caller, OPPORTUNITY_AUDIT_TYPE, [id]);
    return this.load(manager, id);
  }

  async updateWithin(
    manager: EntityManager,
    caller: CrmCaller,
    current: Opportunity,
    changes: Partial<OpportunityFieldsDto>,
    expectedVersion: number,
  ): Promise<Opportunity> {
    if (current.version !== expectedVersion) {
      throw new CrmError('STALE_VERSION', `Opportunity ${current.id} changed since version ${expectedVersion}; reload it (now version ${current.version})`, {
        currentVersion: current.version,
      });
    }
    const after: Opportunity = { ...current, ...definedOnly(changes) };
    if (typeof changes.title === 'string') after.title = changes.title.trim();
    // Reopening or winning a lost opportunity drops the reason it was lost for.
    if (after.stage !== 'lost' && current.stage === 'lost' && changes.lostReason === undefined) after.lostReason = null;
    if (after.sourceId !== current.sourceId) await this.assertSource(manager, current.customerId === null ? 'lead' : 'customer', after.sourceId, current.sourceId);
    assertStageAndMoney(after);
    if (after.ownerId !== current.ownerId) await this.people.assertOwnerChange(manager, after.ownerId, 'ownerId', caller);

    const diff = diffFields(current, after, AUDITED_OPPORTUNITY_FIELDS);
    if (diff.length === 0) return current;
    const columns: Record<string, unknown> = Object.fromEntries(diff.map((change) => [change.field, change.after]));
    if (after.stage !== current.stage) columns.closedAt = isClosedStage(after.stage) ? new Date() : null;
    const result = await manager.update(Opportunity, { id: current.id, version: expectedVersion }, columns);
    if (!result.affected) throw new CrmError('STALE_VERSION', `Opportunity ${current.id} changed while saving; reload it`);
    await this.wonTally.changed(manager, current.originLeadId, current, after);
    await this.audit.record(manager, caller, {
      entityType: OPPORTUNITY_AUDIT_TYPE,
      entityId: current.id,
      action: after.stage !== current.stage ? 'stage_change' : 'update',
      changes: diff,
    });
    return this.load(manager, current.id);
  }

  /**
   * Moves a converted lead's open opportunities to its customer, sources kept as they are.
   * Answers the ids moved.
   */
  async moveOpenToCustomerWithin(manager: EntityManager, caller: CrmCaller, leadId: number, customerId: number): Promise<number[]> {
    const open = await manager.find(Opportunity, { where: { leadId, stage: Not(In(['won', 'lost'])) }, order: { id: 'ASC' } });
    for (const opportunity of open) {
      await manager.update(Opportunity, { id: opportunity.id }, { leadId: null, customerId, originLeadId: opportunity.originLeadId ?? leadId });
      await this.audit.record(manager, caller, {
        entityType: OPPORTUNITY_AUDIT_TYPE,
        entityId: opportunity.id,
        action: 'move_to_customer',
        changes: [
          { field: 'leadId', before: leadId, after: null },
          { field: 'customerId', before: null, after: customerId },
        ],
      });
    }
    return open.map((o) => o.id);
  }

  /** The opportunity with its source joined; 404 if there is none. */
  async load(manager: EntityManager, id: number): Promise<Opportunity> {
    const opportunity = await manager.createQueryBuilder(Opportunity, 'o').leftJoinAndSelect('o.source', 's').where('o.id = :id', { id }).getOne();
    if (!opportunity) throw CrmError.notFound('Opportunity', id);
    return opportunity;
  }

  private async parentOf(manager: EntityManager, caller: CrmCaller, input: NewOpportunity): Promise<Parent> {
    if ((input.leadId === undefined) === (input.customerId === undefined)) {
      throw CrmError.invalidField('leadId', 'exactlyOneParent', 'Give exactly one of leadId (a lead opportunity) and customerId (a customer opportunity)');
    }
    if (input.customerId !== undefined) {
      const missing = () => CrmError.invalidField('customerId', 'exists', `customerId ${input.customerId} is not a known customer`);
      const customer = await manager.findOne(Customer, { where: { id: input.customerId } });
      if (!customer) throw missing();
      await this.visibility.requireReference(manager, caller, 'customer', customer.id, missing);
      return { kind: 'customer', leadId: null, customerId: customer.id, originLeadId: null, sourceId: customer.sourceId };
    }
    const lead = await this.visibleLead(manager, caller, input.leadId!);
    if (isClosedStatus(lead.status)) {
      const instead = lead.customerId ? `; add it to customer ${lead.customerId} instead` : '';
      throw new CrmError('CONFLICT', `Lead ${lead.id} is ${lead.status}: it takes no new opportunities${instead}`, { field: 'leadId', status: lead.status });
    }
    return { kind: 'lead', leadId: lead.id, customerId: null, originLeadId: lead.id, sourceId: lead.sourceId };
  }

  /** A lead the caller may see; any other (missing, or another partner's) is a 400 on the field, as if it did not exist. */
  private async visibleLead(manager: EntityManager, caller: CrmCaller, id: number): Promise<Lead> {
    const missing = () => CrmError.invalidField('leadId', 'exists', `leadId ${id} is not a known lead`);
    const lead = await manager.findOne(Lead, { where: { id } });
    if (!lead) throw missing();
    await this.visibility.requireReference(manager, caller, 'lead', id, missing);
    return lead;
  }

  /** `keptSourceId` (the parent's source on create, the current one on update) is always accepted. */
  private async assertSource(manager: EntityManager, kind: SourceAppliesTo, sourceId: number | null, keptSourceId: number | null): Promise<void> {
    if (sourceId === null) {
      if (kind === 'lead') throw CrmError.invalidField('sourceId', 'required', 'sourceId is required on a lead opportunity');
      return;
    }
    await this.eligibility.assertEligible(manager, { sourceId, appliesTo: kind, currentSourceId: keptSourceId });
  }
}

function assertStageAndMoney(state: EditableState & { stage: OpportunityStage }): void {
  if (state.stage === 'lost' && !state.lostReason?.trim()) {
    throw CrmError.invalidField('lostReason', 'requiredWhenLost', 'lostReason is required when the stage is lost');
  }
  if (state.stage !== 'lost' && state.lostReason !== null) {
    throw CrmError.invalidField('lostReason', 'onlyWhenLost', 'lostReason is only kept for a lost opportunity');
  }
  if (state.amount !== null && state.currency === null) {
    throw CrmError.invalidField('currency', 'requiredWithAmount', 'currency (ISO 4217, like EUR) is required with an amount');
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
