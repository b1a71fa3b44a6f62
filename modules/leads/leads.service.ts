import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { mapPage, Page, PageQuery } from '../core/http/page';
import { CrmError } from '../core/errors/crm-error';
import { ReferenceRegistry, totalReferences } from '../core/references/reference-registry.service';
import { RecordVisibility, VISIBLE_PARTNER, type VisibilityRule } from '../core/visibility/record-visibility.service';
import { SOURCE_REFERENCE } from '../sources/source-lifecycle.service';
import type { CreateLeadDto } from './dto/create-lead.dto';
import type { LeadBoardDto, LeadBoardQueryDto } from './dto/lead-board.dto';
import { LeadDto } from './dto/lead.dto';
import type { LeadQueryDto } from './dto/lead-query.dto';
import type { UpdateLeadDto } from './dto/update-lead.dto';
import { LeadFinder } from './lead-finder.service';
import { requireFormParties } from './lead-parties';
import { LEAD_REFERENCE } from './lead-reference';
import { AUDITED_LEAD_FIELDS, LEAD_AUDIT_TYPE, LeadWriter } from './lead-writer.service';
import { LeadTally } from './lead-tally.service';
import { Lead } from './lead.entity';

/** A partner sees the leads of its partner company. */
export const LEAD_VISIBILITY: VisibilityRule<Lead> = { label: 'Lead', entity: Lead, condition: (lead) => `${lead}.partnerCompanyId = ${VISIBLE_PARTNER}` };

/**
 * The leads API: each write is one transaction around `LeadWriter`. A partner supervisor only
 * ever reaches their partner company's leads; any other lead is a 404 to them.
 */
@Injectable()
export class LeadsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: LeadWriter,
    private readonly finder: LeadFinder,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly references: ReferenceRegistry,
    private readonly visibility: RecordVisibility,
    private readonly tally: LeadTally,
  ) {}

  /** Source delete and merge count and move leads from here on; a partner sees them by `LEAD_VISIBILITY`. */
  onModuleInit(): void {
    this.references.register(SOURCE_REFERENCE, { label: 'leads', entity: Lead, property: 'sourceId' });
    this.visibility.register('lead', LEAD_VISIBILITY);
  }

  list(caller: CrmCaller, query: LeadQueryDto): Promise<Page<LeadDto>> {
    return this.finder.list(caller, query);
  }

  board(caller: CrmCaller, query: LeadBoardQueryDto, locales: string[]): Promise<LeadBoardDto> {
    return this.finder.board(caller, query, locales);
  }

  async get(caller: CrmCaller, id: number): Promise<LeadDto> {
    const manager = this.dataSource.manager;
    return this.toDto(caller, await this.visibility.visibleOrFail(manager, caller, 'lead', id, await this.writer.find(manager, id)));
  }

  /** The agent/partner form: unlike automatic intake, it needs a company and a contact (existing or new). */
  async create(caller: CrmCaller, dto: CreateLeadDto): Promise<LeadDto> {
    requireFormParties(dto);
    return this.toDto(caller, await this.transactions.run((manager) => this.writer.createWithin(manager, caller, dto)));
  }

  async update(caller: CrmCaller, id: number, dto: UpdateLeadDto): Promise<LeadDto> {
    const lead = await this.transactions.run(async (manager) => this.writer.updateWithin(manager, caller, await this.lockVisible(manager, caller, id), dto));
    return this.toDto(caller, lead);
  }

  async remove(caller: CrmCaller, id: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const lead = await this.lockVisible(manager, caller, id);
      await this.assertUnreferenced(manager, id);
      await manager.delete(Lead, { id });
      await this.tally.removed(manager, lead);
      await this.audit.record(manager, caller, {
        entityType: LEAD_AUDIT_TYPE,
        entityId: id,
        action: 'delete',
        changes: AUDITED_LEAD_FIELDS.filter((f) => lead[f] !== null && lead[f] !== undefined).map((field) => ({ field, before: lead[field], after: null })),
      });
    });
  }

  /** Who changed what, newest first. A deleted lead keeps its history (not for partner supervisors, who cannot tell whose it was). */
  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const lead = await this.dataSource.manager.findOne(Lead, { where: { id } });
    const page = await this.audit.history(LEAD_AUDIT_TYPE, id, query, async () => auditedState(lead, AUDITED_LEAD_FIELDS));
    if (lead || this.visibility.restricts(caller, 'lead') || page.total === 0) await this.visibility.visibleOrFail(this.dataSource.manager, caller, 'lead', id, lead);
    return mapPage(page, AuditEntryDto.from);
  }

  toDto(caller: CrmCaller, lead: Lead): LeadDto {
    return LeadDto.from(lead, caller);
  }

  /** A lead that was converted or has opportunities stays: they point at it (archive it by marking it lost instead). */
  private async assertUnreferenced(manager: EntityManager, id: number): Promise<void> {
    const references = (await this.references.count(manager, LEAD_REFERENCE, [id])).get(id) ?? {};
    if (totalReferences(references) === 0) return;
    const detail = Object.entries(references).map(([label, n]) => `${n} ${label}`).join(', ');
    throw new CrmError('IN_USE', `Lead ${id} is referenced by ${detail}; it cannot be deleted`, { references });
  }

  private async lockVisible(manager: EntityManager, caller: CrmCaller, id: number): Promise<Lead> {
    const lead = await this.transactions.forUpdate(manager.createQueryBuilder(Lead, 'l').where('l.id = :id', { id })).getOne();
    return this.visibility.visibleOrFail(manager, caller, 'lead', id, lead);
  }
}
