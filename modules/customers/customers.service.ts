import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility, VISIBLE_PARTNER, type VisibilityRule } from '../core/visibility/record-visibility.service';
import { AUDITED_CUSTOMER_FIELDS, CUSTOMER_AUDIT_TYPE, CustomerWriter } from './customer-writer.service';
import { Customer } from './customer.entity';
import type { CreateCustomerDto } from './dto/create-customer.dto';
import { CustomerDto } from './dto/customer.dto';
import type { CustomerQueryDto } from './dto/customer-query.dto';
import type { UpdateCustomerDto } from './dto/update-customer.dto';

/** A partner sees the customers of its partner company, and those converted from its leads. */
export const CUSTOMER_VISIBILITY: VisibilityRule<Customer> = {
  label: 'Customer',
  entity: Customer,
  condition: (c, scope) => `${c}.partnerCompanyId = ${VISIBLE_PARTNER} OR ${scope.existsVisible('lead', (l) => `${l}.id = ${c}.leadId`)}`,
};

/** The customers API: listing, reading, creating and editing, each write in one transaction. */
@Injectable()
export class CustomersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly writer: CustomerWriter,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  /** Registers how a partner sees its records (`CUSTOMER_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('customer', CUSTOMER_VISIBILITY);
  }

  async list(caller: CrmCaller, query: CustomerQueryDto): Promise<Page<CustomerDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Customer).createQueryBuilder('c'), caller, 'customer').leftJoinAndSelect('c.source', 's');
    if (query.sourceId !== undefined) qb.andWhere('c.sourceId = :sourceId', { sourceId: query.sourceId });
    if (query.ownerId !== undefined) qb.andWhere('c.ownerId = :ownerId', { ownerId: query.ownerId });
    if (query.companyId !== undefined) qb.andWhere('c.companyId = :companyId', { companyId: query.companyId });
    if (query.status !== undefined) qb.andWhere('c.status = :status', { status: query.status });
    if (query.q) qb.andWhere(`LOWER(c.name) LIKE :q ${LIKE_ESCAPE}`, { q: likePattern(query.q) });
    const [customers, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('c.createdAt', 'DESC')
        .addOrderBy('c.id', 'DESC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    return mapPage(toPage(customers, total, query), CustomerDto.from);
  }

  async get(caller: CrmCaller, id: number): Promise<CustomerDto> {
    return CustomerDto.from(await this.writer.loadVisible(this.dataSource.manager, caller, id));
  }

  async create(caller: CrmCaller, dto: CreateCustomerDto): Promise<CustomerDto> {
    const customer = await this.transactions.run((manager) => this.writer.createWithin(manager, caller, dto));
    return CustomerDto.from(customer);
  }

  async update(caller: CrmCaller, id: number, dto: UpdateCustomerDto): Promise<CustomerDto> {
    const { version, ...changes } = dto;
    const customer = await this.transactions.run(async (manager) => {
      const current = await this.writer.loadVisible(manager, caller, id);
      return this.writer.updateWithin(manager, caller, current, changes, version);
    });
    return CustomerDto.from(customer);
  }

  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const customer = await this.writer.loadVisible(this.dataSource.manager, caller, id);
    const current = async () => auditedState(customer, AUDITED_CUSTOMER_FIELDS);
    return mapPage(await this.audit.history(CUSTOMER_AUDIT_TYPE, id, query, current), AuditEntryDto.from);
  }
}
