import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import type { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import type { OpportunityQueryDto } from './dto/opportunity-query.dto';
import type { UpdateOpportunityDto } from './dto/update-opportunity.dto';
import { applyOpportunityFilters } from './opportunity-filters';
import { OPPORTUNITY_AUDIT_TYPE, OpportunityWriter } from './opportunity-writer.service';
import { Opportunity } from './opportunity.entity';

/** The opportunities API: list, read, create, edit and history; each write in one transaction. */
@Injectable()
export class OpportunitiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: OpportunityWriter,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
  ) {}

  async list(_caller: CrmCaller, query: OpportunityQueryDto): Promise<Page<OpportunityDto>> {
    const qb = this.dataSource.getRepository(Opportunity).createQueryBuilder('o').leftJoinAndSelect('o.source', 's');
    applyOpportunityFilters(qb, query);
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    const [items, total] = await qb
      .orderBy(`o.${query.sort}`, order)
      .addOrderBy('o.id', order)
      .skip((query.page - 1) * query.limit)
      .take(query.limit)
      .getManyAndCount();
    return mapPage(toPage(items, total, query), OpportunityDto.from);
  }

  async get(_caller: CrmCaller, id: number): Promise<OpportunityDto> {
    return OpportunityDto.from(await this.writer.load(this.dataSource.manager, id));
  }

  async create(caller: CrmCaller, dto: CreateOpportunityDto): Promise<OpportunityDto> {
    const opportunity = await this.transactions.run((manager) => this.writer.createWithin(manager, caller, dto));
    return OpportunityDto.from(opportunity);
  }

  async update(caller: CrmCaller, id: number, dto: UpdateOpportunityDto): Promise<OpportunityDto> {
    const { version, ...changes } = dto;
    const opportunity = await this.transactions.run(async (manager) => {
      const current = await this.writer.load(manager, id);
      return this.writer.updateWithin(manager, caller, current, changes, version);
    });
    return OpportunityDto.from(opportunity);
  }

  async history(_caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    await this.writer.load(this.dataSource.manager, id);
    return mapPage(await this.audit.history(OPPORTUNITY_AUDIT_TYPE, id, query), AuditEntryDto.from);
  }
}
