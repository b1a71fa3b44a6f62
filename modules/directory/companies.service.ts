import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { callerCan, type CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, auditedState, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { insertManyWithoutReload } from '../core/database/insert-without-reload';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { CrmError } from '../core/errors/crm-error';
import { fromDatabaseError } from '../core/errors/crm-exception.filter';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordChanges } from '../core/records/record-changes.service';
import { RecordVisibility, type VisibilityRule } from '../core/visibility/record-visibility.service';
import { Company } from './company.entity';
import { CompanyDto } from './dto/company.dto';
import type { CompanyQueryDto } from './dto/company-query.dto';
import type { CreateCompanyDto } from './dto/create-company.dto';
import type { UpdateCompanyDto } from './dto/update-company.dto';
import { normalizeCompanyName, normalizeDomain } from './matching-keys';

export const COMPANY_AUDIT_TYPE = 'company';

/** The unique keys and the field each is reported under. */
const UNIQUE_KEYS = [
  ['nameKey', 'name'],
  ['websiteDomain', 'website'],
  ['tin', 'tin'],
] as const satisfies readonly (readonly [keyof CompanyKeys, string])[];

const AUDITED_COMPANY_FIELDS = ['name', 'website', 'tin', 'city', 'isPartner'] as const;

/** What a new company is made of. */
export interface CompanyInput {
  name: string;
  website: string;
  tin: string;
  city?: string | null;
  isPartner?: boolean;
}

/** The keys a company is unique by; `null` ones are not compared. */
export interface CompanyKeys {
  nameKey: string | null;
  websiteDomain: string | null;
  tin: string | null;
}

/**
 * A partner sees its own partner company, the companies its supervisors created, and the companies
 * of the leads and customers it sees.
 */
export const COMPANY_VISIBILITY: VisibilityRule<Company> = {
  label: 'Company',
  entity: Company,
  condition: (co, scope) =>
    [
      `${co}.id = ${scope.partner}`,
      `${co}.partnerCompanyId = ${scope.partner}`,
      scope.existsVisible('lead', (l) => `${l}.companyId = ${co}.id`),
      scope.existsVisible('customer', (c) => `${c}.companyId = ${co}.id`),
    ].join(' OR '),
};

/**
 * Companies: searching, reading, creating and editing them. A company is unique by name (case
 * and spaces ignored), by website domain and by TIN; a clash is a 409 naming the field and the
 * company that holds it (unless the caller may not see that company), on create and on update alike.
 */
@Injectable()
export class CompaniesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
    private readonly changes: RecordChanges,
  ) {}

  /** Registers how a partner sees its records (`COMPANY_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('company', COMPANY_VISIBILITY);
  }

  /** Search by name, website domain or TIN, for the lead form's company picker. */
  async list(caller: CrmCaller, query: CompanyQueryDto): Promise<Page<CompanyDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Company).createQueryBuilder('c'), caller, 'company');
    if (query.isPartner !== undefined) qb.andWhere('c.isPartner = :isPartner', { isPartner: query.isPartner });
    if (query.q?.trim()) {
      const name = likePattern(normalizeCompanyName(query.q));
      const domain = likePattern(normalizeDomain(query.q) ?? query.q);
      const digits = query.q.replace(/\D/g, '');
      qb.andWhere(
        new Brackets((w) => {
          w.where(`c.nameKey LIKE :name ${LIKE_ESCAPE}`, { name }).orWhere(`c.websiteDomain LIKE :domain ${LIKE_ESCAPE}`, { domain });
          if (digits.length >= 3 && /^[\d\s-]+$/.test(query.q!.trim())) w.orWhere(`c.tin LIKE :tin ${LIKE_ESCAPE}`, { tin: likePattern(digits) });
        }),
      );
    }
    const [companies, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('c.nameKey', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    return mapPage(toPage(companies, total, query), CompanyDto.from);
  }

  async get(caller: CrmCaller, id: number): Promise<CompanyDto> {
    return CompanyDto.from(await this.loadVisible(this.dataSource.manager, caller, id));
  }

  /** Who changed what and when, newest first. */
  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const company = await this.loadVisible(this.dataSource.manager, caller, id);
    const current = async () => auditedState(company, AUDITED_COMPANY_FIELDS);
    return mapPage(await this.audit.history(COMPANY_AUDIT_TYPE, id, query, current), AuditEntryDto.from);
  }

  async create(caller: CrmCaller, dto: CreateCompanyDto): Promise<CompanyDto> {
    const company = await this.transactions.run((manager) => this.createWithin(manager, caller, dto));
    return this.get(caller, company.id);
  }

  /** Creates a company inside the caller's transaction: unique keys checked, audited. */
  async createWithin(manager: EntityManager, caller: CrmCaller, input: CompanyInput): Promise<Company> {
    return this.load(manager, await this.createIdWithin(manager, caller, input));
  }

  /** `createWithin` answering only the new company's id (no read-back). */
  async createIdWithin(manager: EntityManager, caller: CrmCaller, input: CompanyInput): Promise<number> {
    const draft = this.draft(caller, input);
    await this.insertDrafts(manager, caller, [draft]);
    return draft.id!;
  }

  /** A new company checked field by field, to be inserted (with others) by `insertDrafts`. */
  draft(caller: CrmCaller, input: CompanyInput): CompanyDraft {
    if (input.isPartner) this.assertMayMarkPartner(caller);
    const name = collapse(input.name);
    const keys = companyMatchKeys({ name, website: input.website, tin: input.tin });
    const fields = { name, website: input.website.trim(), tin: keys.tin, isPartner: input.isPartner ?? false, city: blankToNull(input.city) };
    return new CompanyDraft(keys, fields, caller.partnerCompanyId);
  }

  /**
   * Inserts drafted companies with multi-row INSERTs and sets their ids, audited. Two drafts may not
   * share a unique key; against the table the unique indexes decide, and a clash they report is
   * then named (the field, and the company holding it) in the 409.
   */
  async insertDrafts(manager: EntityManager, caller: CrmCaller, drafts: CompanyDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    assertDistinct(drafts);
    const ids = await this.insertNamingClashes(manager, caller, drafts);
    drafts.forEach((draft, i) => (draft.id = ids[i]));
    await this.audit.recordCreated(manager, caller, COMPANY_AUDIT_TYPE, ids);
  }

  /** Applies a change; a `version` given must be the current one (409 otherwise). */
  async update(caller: CrmCaller, id: number, dto: UpdateCompanyDto): Promise<CompanyDto> {
    const cleared = (['name', 'website', 'tin'] as const).find((field) => dto[field] === null);
    if (cleared) throw CrmError.invalidField(cleared, 'required', `${cleared} cannot be cleared: companies are matched on it`);
    await this.transactions.run(async (manager) => {
      const company = await this.loadVisible(manager, caller, id, true);
      if (dto.version !== undefined && dto.version !== company.version) {
        throw new CrmError('STALE_VERSION', `Company ${id} changed since version ${dto.version}; reload it (now version ${company.version})`, {
          currentVersion: company.version,
        });
      }
      if (dto.isPartner !== undefined && dto.isPartner !== company.isPartner) this.assertMayMarkPartner(caller);
      const after = {
        name: dto.name === undefined ? company.name : collapse(dto.name),
        website: dto.website === undefined ? company.website : dto.website.trim(),
        tin: dto.tin === undefined ? company.tin : dto.tin,
        city: dto.city === undefined ? company.city : blankToNull(dto.city),
        isPartner: dto.isPartner ?? company.isPartner,
      };
      const changes = diffFields(company, after as Company, AUDITED_COMPANY_FIELDS);
      if (changes.length === 0) return;
      const keys = companyMatchKeys(after);
      await this.assertUnique(manager, caller, [keys], id);
      const result = await manager.update(Company, { id, version: company.version }, { ...after, ...keys, nameKey: keys.nameKey! });
      if (!result.affected) throw new CrmError('STALE_VERSION', `Company ${id} changed while saving; reload it`);
      await this.audit.record(manager, caller, { entityType: COMPANY_AUDIT_TYPE, entityId: id, action: 'update', changes });
      // The leads showing the company are searched by its name (LeadSearchIndex).
      if (changes.some((c) => c.field === 'name')) await this.changes.changed(manager, COMPANY_AUDIT_TYPE, [id]);
    });
    return this.get(caller, id);
  }

  /**
   * The company a record points at; 400 naming `field` when there is none with this id, or (given
   * the `caller`) when the caller may not see it: the same answer, so the id tells nothing.
   */
  async requireCompany(manager: EntityManager, id: number, field: string, caller?: CrmCaller): Promise<Company> {
    const missing = () => CrmError.invalidField(field, 'exists', `${field} ${id} is not a known company`);
    const company = await manager.findOne(Company, { where: { id } });
    if (!company) throw missing();
    if (caller) await this.visibility.requireReference(manager, caller, 'company', id, missing);
    return company;
  }

  /** Companies sharing any normalised key with the given values, ordered by id (for dedupe suggestions). */
  async findMatching(manager: EntityManager, values: { name?: string | null; website?: string | null; tin?: string | null }): Promise<Company[]> {
    const keys = companyMatchKeys(values);
    const qb = manager.createQueryBuilder(Company, 'c');
    const conditions: [string, string | null][] = [
      ['c.nameKey = :nameKey', keys.nameKey],
      ['c.websiteDomain = :websiteDomain', keys.websiteDomain],
      ['c.tin = :tin', keys.tin],
    ];
    const used = conditions.filter(([, value]) => value);
    if (used.length === 0) return [];
    qb.where(new Brackets((w) => used.forEach(([condition]) => w.orWhere(condition))), keys);
    return qb.orderBy('c.id', 'ASC').getMany();
  }

  private async load(manager: EntityManager, id: number, lock = false): Promise<Company> {
    return this.transactions.loadOrFail(manager, Company, { id }, { label: 'Company', id, lock });
  }

  private async loadVisible(manager: EntityManager, caller: CrmCaller, id: number, lock = false): Promise<Company> {
    const company = await this.load(manager, id, lock);
    await this.visibility.requireVisible(manager, caller, 'company', id);
    return company;
  }

  private async insertNamingClashes(manager: EntityManager, caller: CrmCaller, drafts: CompanyDraft[]): Promise<number[]> {
    const rows = drafts.map(({ fields, keys, partnerCompanyId }) => ({ ...fields, nameKey: keys.nameKey!, websiteDomain: keys.websiteDomain, partnerCompanyId }));
    try {
      // In a savepoint: PostgreSQL refuses every statement of a transaction after a failed one until
      // it is rolled back to one (MySQL and SQLite undo the failed INSERT alone).
      return await manager.transaction((inner) => insertManyWithoutReload(inner, Company, rows));
    } catch (error) {
      if (fromDatabaseError(error)?.code !== 'DUPLICATE') throw error;
      // Rolled back to the savepoint, the transaction can still ask who holds the key.
      await this.assertUnique(manager, caller, drafts.map((draft) => draft.keys));
      throw error;
    }
  }

  /** A holder the caller may not see is not named: its id and name would tell what the caller may not know. */
  private async assertUnique(manager: EntityManager, caller: CrmCaller, keys: CompanyKeys[], exceptId?: number): Promise<void> {
    // One query for the usual case (no holder of any key); a clash is then named key by key.
    if (!(await this.holdsAny(manager, keys, exceptId))) return;
    for (const one of keys) {
      for (const [column, field] of UNIQUE_KEYS) {
        const value = one[column];
        if (!value) continue;
        const holder = await manager.createQueryBuilder(Company, 'c').where(`c.${column} = :value`, { value }).orderBy('c.id', 'ASC').getOne();
        if (holder && holder.id !== exceptId) {
          if (this.visibility.restricts(caller, 'company') && !(await this.visibility.isVisible(manager, caller, 'company', holder.id))) {
            throw new CrmError('DUPLICATE', `${field} "${value}" already belongs to a company you cannot see; ask a manager`, { field });
          }
          throw new CrmError('DUPLICATE', `${field} "${value}" already belongs to company ${holder.id} (${holder.name})`, { field, existingId: holder.id });
        }
      }
    }
  }

  private async holdsAny(manager: EntityManager, keys: CompanyKeys[], exceptId?: number): Promise<boolean> {
    const wanted = UNIQUE_KEYS.map(([column]) => [column, [...new Set(keys.map((k) => k[column]).filter((v): v is string => !!v))]] as const).filter(([, values]) => values.length);
    if (wanted.length === 0) return false;
    const query = manager.createQueryBuilder(Company, 'c').select('c.id');
    query.where(new Brackets((w) => wanted.forEach(([column, values]) => w.orWhere(`c.${column} IN (:...${column})`, { [column]: values }))));
    if (exceptId !== undefined) query.andWhere('c.id <> :exceptId', { exceptId });
    return (await query.limit(1).getOne()) !== null;
  }

  private assertMayMarkPartner(caller: CrmCaller): void {
    if (!callerCan(caller, 'directory.write')) {
      throw new CrmError('FORBIDDEN', 'Marking a company as a partner (or not) needs the directory.write permission', { field: 'isPartner' });
    }
  }
}

/** The normalised keys companies are matched on (and must be unique by). */
export function companyMatchKeys(values: { name?: string | null; website?: string | null; tin?: string | null }): CompanyKeys {
  const nameKey = normalizeCompanyName(values.name);
  return { nameKey: nameKey || null, websiteDomain: normalizeDomain(values.website), tin: values.tin?.trim() || null };
}

function collapse(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function blankToNull(text: string | null | undefined): string | null {
  return text?.trim() || null;
}

/** A company checked and waiting to be inserted; `id` is set once it is. */
export class CompanyDraft {
  id: number | null = null;

  constructor(
    readonly keys: CompanyKeys,
    readonly fields: Pick<Company, 'name' | 'website' | 'isPartner' | 'city'> & { tin: string | null },
    /** The partner whose supervisor creates it (it stays visible to that partner), else `null`. */
    readonly partnerCompanyId: number | null = null,
  ) {}
}

/** Two drafts of one batch may not share a unique key either. */
function assertDistinct(drafts: CompanyDraft[]): void {
  for (const [column, field] of UNIQUE_KEYS) {
    const seen = new Set<string>();
    for (const { keys } of drafts) {
      const value = keys[column];
      if (!value) continue;
      if (seen.has(value)) throw new CrmError('DUPLICATE', `${field} "${value}" is given to two new companies at once`, { field });
      seen.add(value);
    }
  }
}
