import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import type { DistributorModelMapping } from '../../core/options/crm-module-options';
import { Source } from '../../sources/source.entity';
import { IntakePipeline } from '../intake/intake-pipeline.service';
import { ImportRunCounts, ImportRunsService } from '../runs/import-runs.service';
import { ImportPageAudit, leadOrigin } from '../runs/import-page-audit.service';
import type { ImportOrigin } from '../runs/import-run-range.entity';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { isAfter, type CursorPosition } from './cursor-position';
import type { OdooRecord } from './odoo-client';
import { completeFields, toIntakeRecord } from './odoo-record-mapper';
import { SyncCursor } from './sync-cursor.entity';

/** Why a whole run stops (as opposed to one record being refused). */
export class DistributorSyncFailure extends Error {}

/**
 * Writes one page of Odoo records: their leads, their refused records, the run's counters and the
 * model's cursor, all in ONE transaction, so a crash anywhere leaves either the whole page or none
 * of it, and the next run starts right after the last page that committed.
 */
@Injectable()
export class DistributorPageWriter {
  constructor(
    private readonly transactions: CrmTransactions,
    private readonly pipeline: IntakePipeline,
    private readonly runs: ImportRunsService,
    private readonly audit: AuditLogService,
    private readonly pageAudit: ImportPageAudit,
  ) {}

  /** Fails with the reason when the mapping's source is missing or archived: leads never get an undefined source. */
  async assertSourceUsable(manager: EntityManager, mapping: DistributorModelMapping): Promise<Source> {
    const source = await manager.findOne(Source, { where: { code: mapping.sourceCode } });
    if (!source) throw new DistributorSyncFailure(`The source "${mapping.sourceCode}" of ${mapping.model} is missing; nothing was imported from it`);
    if (!source.active) throw new DistributorSyncFailure(`The source "${mapping.sourceCode}" of ${mapping.model} is archived; restore it to import again`);
    return source;
  }

  /** `beforeLookups`: see `IntakeOptions`; the page's records are checked before it is awaited. */
  async write(
    runId: number,
    caller: CrmCaller,
    mapping: DistributorModelMapping,
    page: OdooRecord[],
    advanceTo: CursorPosition,
    beforeLookups?: () => Promise<void>,
  ): Promise<ImportRunCounts> {
    return this.transactions.runReadCommitted(async (manager) => {
      const source = await this.assertSourceUsable(manager, mapping);
      const counts = { processed: page.length, created: 0, updated: 0, skipped: 0, failed: 0 };
      const records = page.map((remote) => toIntakeRecord(mapping, remote));
      // Every record of a mapping names the mapping's source.
      const options = { sourceCode: mapping.sourceCode, defaultSourceId: source.id, complete: completeFields(mapping), inRun: true, beforeLookups };
      const { result: outcomes, created } = await this.audit.collectCreations(manager, () => this.pipeline.ingestBatchWithin(manager, caller, records, options));
      const leads = new Map<number, ImportOrigin>();
      for (const [index, outcome] of outcomes.entries()) {
        if (!(outcome instanceof CrmError)) {
          counts[outcome.status] += 1;
          if (outcome.status === 'created') leads.set(outcome.leadId, leadOrigin({ remoteId: page[index].id, writeDate: page[index].write_date }, outcome));
          continue;
        }
        counts.failed += 1;
        await this.runs.recordError(manager, runId, { reference: `${mapping.model}#${page[index].id}`, reason: outcome.message, payload: { ...records[index] } });
      }
      await this.pageAudit.record(manager, caller, runId, created, { model: mapping.model, leads });
      await this.runs.progress(runId, counts, manager);
      await manager.upsert(SyncCursor, { model: mapping.model, writeDate: advanceTo.writeDate, lastId: advanceTo.lastId }, ['model']);
      return counts;
    });
  }

  /**
   * A pass over the model ended at `reached`: every record written before `before` has been read
   * after its late-commit window passed, so later runs re-read from there (never from earlier than
   * before). The cursor moves to `reached` when the pass ended past it with nothing left to write
   * (an exhausted second); a model that had nothing to import gets its cursor here.
   */
  async settle(mapping: DistributorModelMapping, before: string, reached: CursorPosition | null): Promise<void> {
    await this.transactions.run(async (manager) => {
      const stored = await manager.findOne(SyncCursor, { where: { model: mapping.model } });
      const settledBefore = stored?.settledBefore && stored.settledBefore > before ? stored.settledBefore : before;
      const position = [stored && { writeDate: stored.writeDate, lastId: stored.lastId }, reached]
        .filter((p): p is CursorPosition => Boolean(p))
        .reduce<CursorPosition | null>((a, b) => (a && !isAfter(b, a) ? a : b), null) ?? { writeDate: before, lastId: 0 };
      await manager.upsert(SyncCursor, { model: mapping.model, writeDate: position.writeDate, lastId: position.lastId, settledBefore }, ['model']);
    });
  }
}
