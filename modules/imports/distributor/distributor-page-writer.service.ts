import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import type { DistributorModelMapping } from '../../core/options/crm-module-options';
import { Source } from '../../sources/source.entity';
import { IntakePipeline } from '../intake/intake-pipeline.service';
import type { IntakeOutcome, IntakeRecord } from '../intake/intake-record';
import { ImportRunCounts, ImportRunsService } from '../runs/import-runs.service';
import type { CursorPosition } from './cursor-position';
import type { OdooRecord } from './odoo-client';
import { toIntakeRecord } from './odoo-record-mapper';
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
  ) {}

  /** Fails with the reason when the mapping's source is missing or archived: leads never get an undefined source. */
  async assertSourceUsable(manager: EntityManager, mapping: DistributorModelMapping): Promise<Source> {
    const source = await manager.findOne(Source, { where: { code: mapping.sourceCode } });
    if (!source) throw new DistributorSyncFailure(`The source "${mapping.sourceCode}" of ${mapping.model} is missing; nothing was imported from it`);
    if (!source.active) throw new DistributorSyncFailure(`The source "${mapping.sourceCode}" of ${mapping.model} is archived; restore it to import again`);
    return source;
  }

  async write(runId: number, caller: CrmCaller, mapping: DistributorModelMapping, page: OdooRecord[], advanceTo: CursorPosition): Promise<ImportRunCounts> {
    return this.transactions.run(async (manager) => {
      const source = await this.assertSourceUsable(manager, mapping);
      const counts = { processed: page.length, created: 0, updated: 0, skipped: 0, failed: 0 };
      for (const remote of page) {
        const record = toIntakeRecord(mapping, remote);
        const outcome = await this.ingestOne(manager, caller, record, source.id);
        if (typeof outcome === 'string') {
          counts[outcome] += 1;
          continue;
        }
        counts.failed += 1;
        await this.runs.recordError(manager, runId, { reference: `${mapping.model}#${remote.id}`, reason: outcome.refused, payload: { ...record } });
      }
      await this.runs.progress(runId, counts, manager);
      await manager.upsert(SyncCursor, { model: mapping.model, writeDate: advanceTo.writeDate, lastId: advanceTo.lastId }, ['model']);
      return counts;
    });
  }

  /**
   * One record inside a savepoint: a refused record rolls back only its own writes and is kept for
   * replay; anything that is not a refusal (a database error) fails the page and the run.
   */
  private async ingestOne(manager: EntityManager, caller: CrmCaller, record: IntakeRecord, sourceId: number): Promise<IntakeOutcome['status'] | { refused: string }> {
    try {
      const outcome = await manager.transaction((inner) => this.pipeline.ingestWithin(inner, caller, record, { sourceCode: record.source, defaultSourceId: sourceId }));
      return outcome.status;
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      return { refused: error.message };
    }
  }
}
