import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { CrmError } from '../core/errors/crm-error';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { CompaniesService } from '../directory/companies.service';
import { ContactsService } from '../directory/contacts.service';
import { PeopleService } from '../directory/people.service';
import { SourceEligibilityService } from '../sources/source-eligibility.service';
import type { CustomerStatus } from './customer-status';
import { Customer } from './customer.entity';

export const CUSTOMER_AUDIT_TYPE = 'customer';

export const AUDITED_CUSTOMER_FIELDS = ['name', 'companyId', 'primaryContactId', 'ownerId', 'status', 'sourceId', 'leadId', 'partnerCompanyId'] as const;

/** What a new customer is made of. */
export interface NewCustomer {
  name: string;
  companyId?: number | null;
  primaryContactId?: number | null;
  /** Checked when given; `null` is none; left out, the caller when an active person of the directory, else none. */
  ownerId?: string | null;
  status?: CustomerStatus;
  sourceId?: number | null;
  leadId?: number | null;
  /** The partner company it belongs to (a converted lead's); a partner supervisor's customer is always theirs. */
  partnerCompanyId?: number | null;
}

/** A change to a customer; `undefined` leaves a field alone, `null` clears it. */
export type CustomerChanges = Partial<Omit<NewCustomer, 'leadId' | 'partnerCompanyId'>>;

/** Options only lead conversion uses. */
export interface CustomerWriteOptions {
  /**
   * The customer inherits its lead's source as is, even a lead-only or archived one: the documented
   * conversion rule, so attribution follows the customer.
   */
  inheritedSource?: boolean;
}

/**
 * Every rule of the customer form, inside the caller's transaction: owner, company, contact and
 * source eligibility, with the audit entry. `CustomersService` (HTTP) and lead conversion use it.
 */
@Injectable()
export class CustomerWriter {
  constructor(
    private readonly people: PeopleService,
    private readonly companies: CompaniesService,
    private readonly contacts: ContactsService,
    private readonly eligibility: SourceEligibilityService,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  async createWithin(manager: EntityManager, caller: CrmCaller, input: NewCustomer, options: CustomerWriteOptions = {}): Promise<Customer> {
    const values = {
      name: input.name.trim(),
      companyId: input.companyId ?? null,
      primaryContactId: input.primaryContactId ?? null,
      ownerId: input.ownerId === undefined ? await this.people.defaultOwner(manager, [caller.id]) : input.ownerId,
      status: input.status ?? 'active',
      sourceId: input.sourceId ?? null,
      leadId: input.leadId ?? null,
      partnerCompanyId: caller.partnerCompanyId ?? input.partnerCompanyId ?? null,
    };
    if (values.ownerId !== null) await this.people.assertActivePerson(manager, values.ownerId, 'ownerId', caller);
    await this.assertCompanyAndContact(manager, caller, values.companyId, values.primaryContactId);
    if (values.sourceId !== null && !options.inheritedSource) {
      await this.eligibility.assertEligible(manager, { sourceId: values.sourceId, appliesTo: 'customer', currentSourceId: null });
    }
    const { identifiers } = await manager.insert(Customer, { ...values, createdById: caller.id });
    const id = Number(identifiers[0].id);
    await this.audit.recordCreated(manager, caller, CUSTOMER_AUDIT_TYPE, [id]);
    return this.load(manager, id);
  }

  /** Applies `changes` to a customer read at `expectedVersion`; a stale version is refused. */
  async updateWithin(manager: EntityManager, caller: CrmCaller, customer: Customer, changes: CustomerChanges, expectedVersion: number): Promise<Customer> {
    if (customer.version !== expectedVersion) {
      throw new CrmError('STALE_VERSION', `Customer ${customer.id} changed since version ${expectedVersion}; reload it (now version ${customer.version})`, {
        currentVersion: customer.version,
      });
    }
    const after: Customer = { ...customer, ...definedOnly(changes) };
    if (typeof changes.name === 'string') after.name = changes.name.trim();
    if (changes.ownerId !== undefined && changes.ownerId !== customer.ownerId) await this.people.assertOwnerChange(manager, changes.ownerId, 'ownerId', caller);
    if (changes.companyId !== undefined || changes.primaryContactId !== undefined) {
      await this.assertCompanyAndContact(manager, caller, after.companyId, after.primaryContactId);
    }
    if (after.sourceId !== null && after.sourceId !== customer.sourceId) {
      await this.eligibility.assertEligible(manager, { sourceId: after.sourceId, appliesTo: 'customer', currentSourceId: customer.sourceId });
    }
    const diff = diffFields(customer, after, AUDITED_CUSTOMER_FIELDS);
    if (diff.length === 0) return customer;
    const columns = Object.fromEntries(diff.map((change) => [change.field, change.after]));
    const result = await manager.update(Customer, { id: customer.id, version: expectedVersion }, columns);
    if (!result.affected) throw new CrmError('STALE_VERSION', `Customer ${customer.id} changed while saving; reload it`);
    await this.audit.record(manager, caller, { entityType: CUSTOMER_AUDIT_TYPE, entityId: customer.id, action: 'update', changes: diff });
    return this.load(manager, customer.id);
  }

  /** Records which lead a linked customer came from, when it has none yet. */
  async linkLeadWithin(manager: EntityManager, caller: CrmCaller, customer: Customer, leadId: number): Promise<void> {
    if (customer.leadId !== null) return;
    await manager.update(Customer, { id: customer.id }, { leadId });
    await this.audit.record(manager, caller, {
      entityType: CUSTOMER_AUDIT_TYPE,
      entityId: customer.id,
      action: 'link_lead',
      changes: [{ field: 'leadId', before: null, after: leadId }],
    });
  }

  /** The customer with its source joined; 404 if there is none. */
  async load(manager: EntityManager, id: number): Promise<Customer> {
    const customer = await manager.createQueryBuilder(Customer, 'c').leftJoinAndSelect('c.source', 's').where('c.id = :id', { id }).getOne();
    if (!customer) throw CrmError.notFound('Customer', id);
    return customer;
  }

  /** `load`, and the same 404 when the caller may not see the customer. */
  async loadVisible(manager: EntityManager, caller: CrmCaller, id: number): Promise<Customer> {
    const customer = await this.load(manager, id);
    await this.visibility.requireVisible(manager, caller, 'customer', id);
    return customer;
  }

  /**
   * The customer a field points at (`customerId` of an opportunity, `customer.customerId` of a
   * conversion); a missing one and one the caller may not see are the same 400 on the field.
   */
  async requireCustomer(manager: EntityManager, caller: CrmCaller, id: number, field: string): Promise<Customer> {
    const missing = () => CrmError.invalidField(field, 'exists', `${field} ${id} is not a known customer`);
    const customer = await manager.findOne(Customer, { where: { id } });
    if (!customer) throw missing();
    await this.visibility.requireReference(manager, caller, 'customer', id, missing);
    return customer;
  }

  private async assertCompanyAndContact(manager: EntityManager, caller: CrmCaller, companyId: number | null, contactId: number | null): Promise<void> {
    if (companyId !== null) await this.companies.requireCompany(manager, companyId, 'companyId', caller);
    if (contactId === null) return;
    const contact = await this.contacts.requireContact(manager, contactId, 'primaryContactId', caller);
    if (companyId !== null && contact.companyId !== null && contact.companyId !== companyId) {
      throw CrmError.invalidField(
        'primaryContactId',
        'contactOfCompany',
        `primaryContactId ${contactId} works for company ${contact.companyId}, not for the customer's company ${companyId}`,
      );
    }
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
