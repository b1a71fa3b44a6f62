import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService } from '../core/audit/audit-log.service';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { CrmError } from '../core/errors/crm-error';
import { ReferenceRegistry, totalReferences } from '../core/references/reference-registry.service';
import type { MergeResultDto } from './dto/merge-source.dto';
import type { SourceDto } from './dto/source.dto';
import { SourceCatalog } from './source-catalog.service';
import { Source } from './source.entity';
import { protectedError, SOURCE_AUDIT_TYPE, SourcesService } from './sources.service';

/** Why one source cannot be deleted. */
interface Blocker {
  id: number;
  code: 'PROTECTED' | 'IN_USE';
  reason: string;
  references: Record<string, number>;
}

/** The reference target name other modules register their source columns under. */
export const SOURCE_REFERENCE = 'source';

/** Archive, restore, delete and merge: the moves that decide whether records keep or lose a source. */
@Injectable()
export class SourceLifecycleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: SourceCatalog,
    private readonly sources: SourcesService,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly references: ReferenceRegistry,
  ) {}

  /** Takes a source out of the pickers; every record that has it keeps it. */
  async archive(caller: CrmCaller, id: number, locales: string[]): Promise<SourceDto> {
    await this.setActive(caller, id, false);
    return this.sources.get(caller, id, locales);
  }

  async restore(caller: CrmCaller, id: number, locales: string[]): Promise<SourceDto> {
    await this.setActive(caller, id, true);
    return this.sources.get(caller, id, locales);
  }

  async remove(caller: CrmCaller, id: number): Promise<void> {
    await this.transactions.run(async (manager) => {
      const source = await this.catalog.load(manager, id, true);
      const blocked = await this.blockers(manager, [source]);
      if (blocked.length) throw new CrmError(blocked[0].code, blocked[0].reason, { references: blocked[0].references });
      await this.delete(manager, caller, source);
    });
  }

  /** Deletes every listed source, or none: any source that blocks is named with its reason. */
  async bulkRemove(caller: CrmCaller, ids: number[]): Promise<void> {
    const unique = [...new Set(ids)];
    await this.transactions.run(async (manager) => {
      const found = await this.transactions.forUpdate(manager.createQueryBuilder(Source, 's').where({ id: In(unique) })).getMany();
      const missing = unique.filter((id) => !found.some((s) => s.id === id));
      if (missing.length) throw new CrmError('NOT_FOUND', `Sources not found: ${missing.join(', ')}; nothing was deleted`, { ids: missing });
      const blocked = await this.blockers(manager, found);
      if (blocked.length) {
        throw new CrmError('IN_USE', `${blocked.length} of ${unique.length} sources cannot be deleted; nothing was deleted`, {
          blocked: blocked.map(({ id, reason, references }) => ({ id, reason, references })),
        });
      }
      for (const source of found) await this.delete(manager, caller, source);
    });
  }

  /** Moves every reference from one source to another and archives the merged one; `dryRun` only counts. */
  async merge(caller: CrmCaller, id: number, intoId: number, dryRun: boolean): Promise<MergeResultDto> {
    if (id === intoId) throw CrmError.invalidField('intoId', 'differentSource', 'intoId must be another source than the one merged');
    const work = async (manager: EntityManager): Promise<MergeResultDto> => {
      const source = await this.catalog.load(manager, id, !dryRun);
      const target = await this.catalog.load(manager, intoId, !dryRun);
      if (this.catalog.isProtected(source)) throw protectedError(source, 'merged away');
      if (!target.active) throw new CrmError('CONFLICT', `Source ${intoId} is archived; restore it before merging into it`, { field: 'intoId' });
      if (dryRun) return { sourceId: id, intoId, dryRun, moved: await this.references.countEvery(manager, SOURCE_REFERENCE, id) };
      const moved = await this.references.reassign(manager, SOURCE_REFERENCE, id, intoId);
      if (source.active) await manager.update(Source, { id }, { active: false });
      await this.audit.record(manager, caller, {
        entityType: SOURCE_AUDIT_TYPE,
        entityId: id,
        action: 'merge',
        changes: [
          { field: 'mergedInto', before: null, after: intoId },
          ...(source.active ? [{ field: 'active', before: true, after: false }] : []),
          { field: 'referencesMoved', before: null, after: moved },
        ],
      });
      await this.audit.record(manager, caller, {
        entityType: SOURCE_AUDIT_TYPE,
        entityId: intoId,
        action: 'merge',
        changes: [{ field: 'mergedFrom', before: null, after: id }, { field: 'referencesMoved', before: null, after: moved }],
      });
      return { sourceId: id, intoId, dryRun, moved };
    };
    // READ COMMITTED: the tallies' recount counts what committed before it locked the sources' leads (`LeadTally.recount`).
    return dryRun ? work(this.dataSource.manager) : this.transactions.runReadCommitted(work);
  }

  private async setActive(caller: CrmCaller, id: number, active: boolean): Promise<void> {
    await this.transactions.run(async (manager) => {
      const source = await this.catalog.load(manager, id, true);
      if (!active && this.catalog.isProtected(source)) throw protectedError(source, 'archived');
      if (source.active === active) return;
      await manager.update(Source, { id }, { active });
      await this.audit.record(manager, caller, {
        entityType: SOURCE_AUDIT_TYPE,
        entityId: id,
        action: active ? 'restore' : 'archive',
        changes: [{ field: 'active', before: source.active, after: active }],
      });
    });
  }

  private async blockers(manager: EntityManager, sources: Source[]): Promise<Blocker[]> {
    const counts = await this.references.count(manager, SOURCE_REFERENCE, sources.map((s) => s.id));
    return sources.flatMap((source): Blocker[] => {
      if (this.catalog.isProtected(source)) {
        return [{ id: source.id, code: 'PROTECTED', reason: protectedError(source, 'deleted').message, references: {} }];
      }
      const references = counts.get(source.id) ?? {};
      const total = totalReferences(references);
      if (total === 0) return [];
      const detail = Object.entries(references).map(([label, n]) => `${n} ${label}`).join(', ');
      const reason = `Source ${source.id} (${source.code}) is referenced by ${detail}; archive it, or merge it into another source`;
      return [{ id: source.id, code: 'IN_USE', reason, references }];
    });
  }

  private async delete(manager: EntityManager, caller: CrmCaller, source: Source): Promise<void> {
    const before = this.catalog.snapshot(source);
    await manager.delete(Source, { id: source.id });
    await this.catalog.retireCode(manager, source.code, source.id);
    await this.audit.record(manager, caller, {
      entityType: SOURCE_AUDIT_TYPE,
      entityId: source.id,
      action: 'delete',
      changes: Object.entries(before).map(([field, value]) => ({ field, before: value, after: null })),
    });
  }
}
