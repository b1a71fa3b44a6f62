import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../../core/http/page';
import { ListTotals } from '../../core/http/list-totals.service';
import { ReferenceRegistry } from '../../core/references/reference-registry.service';
import { SOURCE_REFERENCE } from '../../sources/source-lifecycle.service';
import { SourceEligibilityService } from '../../sources/source-eligibility.service';
import { CreatedIntakeKeyDto, type CreateIntakeKeyDto, IntakeKeyDto } from './dto/intake-key.dto';
import { IntakeKey } from './intake-key.entity';

export const INTAKE_KEY_AUDIT_TYPE = 'intake_key';

const KEY_PREFIX = 'ik_';

/** The SHA-256 of a key, hex: keys are 32 random bytes, so a plain hash is enough to store them safely. */
export function hashIntakeKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** API keys of the intake endpoint: created (shown once), listed without secrets, revoked, and checked. */
@Injectable()
export class IntakeKeysService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly eligibility: SourceEligibilityService,
    private readonly references: ReferenceRegistry,
  ) {}

  /** A key's default source counts as a use of the source: it blocks deleting it, and merging moves it. */
  onModuleInit(): void {
    this.references.register(SOURCE_REFERENCE, { label: 'intake keys', entity: IntakeKey, property: 'defaultSourceId' });
  }

  async create(caller: CrmCaller, dto: CreateIntakeKeyDto): Promise<CreatedIntakeKeyDto> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('hex')}`;
    const created = await this.transactions.run(async (manager) => {
      if (dto.defaultSourceId) await this.eligibility.assertEligible(manager, { sourceId: dto.defaultSourceId, appliesTo: 'lead', field: 'defaultSourceId' });
      const { identifiers } = await manager.insert(IntakeKey, {
        name: dto.name.trim(),
        prefix: key.slice(0, KEY_PREFIX.length + 8),
        secretHash: hashIntakeKey(key),
        defaultSourceId: dto.defaultSourceId ?? null,
        revokedAt: null,
        createdById: caller.id,
      });
      const id = Number(identifiers[0].id);
      await this.audit.recordCreated(manager, caller, INTAKE_KEY_AUDIT_TYPE, [id]);
      return manager.findOneOrFail(IntakeKey, { where: { id } });
    });
    return { ...IntakeKeyDto.from(created), key };
  }

  async list(_caller: CrmCaller, query: PageQuery): Promise<Page<IntakeKeyDto>> {
    const [keys, total] = await this.totals.itemsAndTotal(
      this.dataSource.getRepository(IntakeKey).createQueryBuilder().setFindOptions({
        order: { id: 'DESC' },
        skip: (query.page - 1) * query.limit,
        take: query.limit,
      }),
    );
    return mapPage(toPage(keys, total, query), IntakeKeyDto.from);
  }

  /** Revokes a key for good; revoking twice is harmless. */
  async revoke(caller: CrmCaller, id: number): Promise<IntakeKeyDto> {
    return this.transactions.run(async (manager) => {
      const key = await manager.findOne(IntakeKey, { where: { id } });
      if (!key) throw CrmError.notFound('Intake key', id);
      if (key.revokedAt) return IntakeKeyDto.from(key);
      const revokedAt = new Date();
      await manager.update(IntakeKey, { id }, { revokedAt });
      await this.audit.record(manager, caller, {
        entityType: INTAKE_KEY_AUDIT_TYPE,
        entityId: id,
        action: 'revoke',
        changes: [{ field: 'revokedAt', before: null, after: revokedAt }],
      });
      return IntakeKeyDto.from({ ...key, revokedAt });
    });
  }

  /** The active key with this secret, or `undefined`. */
  async authenticate(secret: string | undefined): Promise<IntakeKey | undefined> {
    if (!secret || !secret.startsWith(KEY_PREFIX) || secret.length > 200) return undefined;
    const key = await this.dataSource.manager.findOne(IntakeKey, { where: { secretHash: hashIntakeKey(secret) } });
    return key && !key.revokedAt ? key : undefined;
  }
}
