import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { nullsAsElsewhere } from '../core/database/null-order';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility, type VisibilityRule } from '../core/visibility/record-visibility.service';
import type { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import type { OpportunityQueryDto } from './dto/opportunity-query.dto';
import type { UpdateOpportunityDto } from './dto/update-opportunity.dto';
import { applyOpportunityFilters } from './opportunity-filters';
import { AUDITED_OPPORTUNITY_FIELDS, OPPORTUNITY_AUDIT_TYPE, OpportunityWriter } from './opportunity-writer.service';
import { Opportunity } from './opportunity.entity';

/** A partner sees the opportunities of the leads and of the customers it sees. */
export const OPPORTUNITY_VISIBILITY: VisibilityRule<Opportunity> = {
  label: 'Opportunity',
  entity: Opportunity,
  condition: (o, scope) =>
    `${scope.existsVisible('lead', (l) => `${l}.id = ${o}.leadId`)} OR ${scope.existsVisible('customer', (c) => `${c}.id = ${o}.customerId`)}`,
};

/** The opportunities API: list, read, create, edit and history; each write in one transaction. */
@Injectable()
export class OpportunitiesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly writer: OpportunityWriter,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  /** Registers how a partner sees its records (`OPPORTUNITY_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('opportunity', OPPORTUNITY_VISIBILITY);
  }

  async list(caller: CrmCaller, query: OpportunityQueryDto): Promise<Page<OpportunityDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Opportunity).createQueryBuilder('o'), caller, 'opportunity').leftJoinAndSelect('o.source', 's');
    applyOpportunityFilters(qb, query);
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    const [items, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy(`o.${query.sort}`, order, nullsAsElsewhere(this.dataSource, Opportunity, query.sort, order))
        .addOrderBy('o.id', order)
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    return mapPage(toPage(items, total, query), OpportunityDto.from);
  }

  async get(caller: CrmCaller, id: number): Promise<OpportunityDto> {
    return OpportunityDto.from(await this.loadVisible(this.dataSource.manager, caller, id));
  }

  async create(caller: CrmCaller, dto: CreateOpportunityDto): Promise<OpportunityDto> {
    const opportunity = await this.transactions.run((manager) => this.writer.createWithin(manager, caller, dto));
    return OpportunityDto.from(opportunity);
  }

  async update(caller: CrmCaller, id: number, dto: UpdateOpportunityDto): Promise<OpportunityDto> {
    const { version, ...changes } = dto;
    const opportunity = await this.transactions.run(async (manager) => {
      const current = await this.loadVisible(manager, caller, id);
      return this.writer.updateWithin(manager, caller, current, changes, version);
    });
    return OpportunityDto.from(opportunity);
  }

  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const opportunity = await this.loadVisible(this.dataSource.manager, caller, id);
    const current = async () => auditedState(opportunity, AUDITED_OPPORTUNITY_FIELDS);
    return mapPage(await this.audit.history(OPPORTUNITY_AUDIT_TYPE, id, query, current), AuditEntryDto.from);
  }

  private async loadVisible(manager: EntityManager, caller: CrmCaller, id: number): Promise<Opportunity> {
    const opportunity = await this.writer.load(manager, id);
    await this.visibility.requireVisible(manager, caller, 'opportunity', id);
    return opportunity;
  }
}
