import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { fromDatabaseError } from '../../core/errors/crm-exception.filter';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../../core/options/crm-module-options';
import { IntakeLookupCache } from '../intake/intake-lookup-cache';
import { IntakePipeline, type IntakeResult } from '../intake/intake-pipeline.service';
import type { IntakeRecord } from '../intake/intake-record';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import type { ImportRunCounts } from '../runs/import-runs.service';
import { ImportRunsService } from '../runs/import-runs.service';
import { CSV_COLUMN_NAMES, normalizeHeader, rowPayload, toIntakeRecord } from './csv-columns';
import { CsvUploadReceiver } from './csv-upload.service';

/** How CSV rows are taken: each row is one lead to keep in step, and sources may be named. */
const CSV_INTAKE = { upsert: true, matchSourceNames: true } as const;

/** One data row and where it was in the file (1 = the row after the header). */
interface CsvRow {
  rowNumber: number;
  values: Record<string, unknown>;
}

/**
 * CSV lead imports: the upload is streamed to a temporary file and answered with a run at once;
 * the rows then go through the intake pipeline in the background, a batch per transaction and per
 * `ingestBatchWithin` call; a refused row changes nothing and is kept for errors.csv. A row updates
 * the lead its `external_id` (or else email, TIN or website) identifies, so importing a file
 * twice creates nothing new. A dry run validates every row and writes no lead.
 */
@Injectable()
export class CsvImportService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('CrmCsvImport');
  private readonly running = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions,
    private readonly transactions: CrmTransactions,
    private readonly receiver: CsvUploadReceiver,
    private readonly pipeline: IntakePipeline,
    private readonly runs: ImportRunsService,
  ) {}

  onModuleInit(): void {
    this.runs.registerKind('csv', {
      columns: CSV_COLUMN_NAMES,
      replay: (manager, caller, error) => this.pipeline.ingestWithin(manager, caller, toIntakeRecord(error.payload), CSV_INTAKE),
    });
  }

  /** Lets runs in progress finish before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async start(caller: CrmCaller, request: IncomingMessage, dryRun: boolean): Promise<ImportRunDto> {
    const upload = await this.receiver.receive(request, this.options.intake.csvMaxBytes);
    const run = await this.runs.start('csv', caller, { dryRun });
    const work = this.process(run.id, upload.path, caller, dryRun);
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    return ImportRunDto.from(run);
  }

  private async process(runId: number, path: string, caller: CrmCaller, dryRun: boolean): Promise<void> {
    try {
      await this.runs.markRunning(runId, await countRows(path));
      let batch: CsvRow[] = [];
      let rowNumber = 0;
      for await (const values of readRows(path)) {
        batch.push({ rowNumber: ++rowNumber, values });
        if (batch.length < this.options.intake.csvBatchSize) continue;
        await this.processBatch(runId, caller, batch, dryRun);
        batch = [];
      }
      if (batch.length) await this.processBatch(runId, caller, batch, dryRun);
      await this.runs.finish(runId, 'succeeded');
    } catch (error) {
      this.logger.error(`CSV import run ${runId} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      await this.runs.finish(runId, 'failed', error instanceof Error ? error.message : String(error)).catch(() => undefined);
    } finally {
      await rm(path, { force: true });
    }
  }

  private async processBatch(runId: number, caller: CrmCaller, batch: CsvRow[], dryRun: boolean): Promise<void> {
    // better-sqlite3 answers synchronously: without a turn of the event loop the whole import would
    // run without the host serving a request. The pipeline takes a batch whole, so between batches
    // is the finest place to yield when writing; a dry-run batch takes tens of milliseconds, so
    // once per batch is enough there too.
    await yieldToEventLoop();
    if (dryRun) return this.validateBatch(runId, batch);
    await this.transactions.run(async (manager) => {
      const counts: Required<ImportRunCounts> = { processed: batch.length, created: 0, updated: 0, skipped: 0, failed: 0 };
      for (const [index, outcome] of (await this.ingestRows(manager, caller, batch)).entries()) {
        if (outcome instanceof CrmError || outcome instanceof Unreadable) {
          await this.keepFailure(manager, runId, batch[index], outcome instanceof Unreadable ? outcome.error : outcome);
          counts.failed += 1;
        } else {
          counts[outcome.status] += 1;
        }
      }
      await this.runs.progress(runId, counts, manager);
    });
  }

  /** Each row's outcome, in row order: the pipeline's answer for the batch's records, or why a row gave no record. */
  private async ingestRows(manager: EntityManager, caller: CrmCaller, batch: CsvRow[]): Promise<(IntakeResult | CrmError | Unreadable)[]> {
    const read = batch.map(readRecord);
    const records = read.filter((r): r is IntakeRecord => !(r instanceof Unreadable));
    const answers = await this.pipeline.ingestBatchWithin(manager, caller, records, { ...CSV_INTAKE, cache: new IntakeLookupCache() });
    let next = 0;
    return read.map((r) => (r instanceof Unreadable ? r : answers[next++]));
  }

  /** The dry run: every row matched and checked, nothing written but the failures; valid rows count as `created`. */
  private async validateBatch(runId: number, batch: CsvRow[]): Promise<void> {
    const cache = new IntakeLookupCache();
    const counts: Required<ImportRunCounts> = { processed: batch.length, created: 0, updated: 0, skipped: 0, failed: 0 };
    for (const row of batch) {
      try {
        await this.pipeline.prepare(this.dataSource.manager, toIntakeRecord(row.values), { ...CSV_INTAKE, cache });
        counts.created += 1;
      } catch (error) {
        await this.keepFailure(undefined, runId, row, error);
        counts.failed += 1;
      }
    }
    await this.runs.progress(runId, counts);
  }

  /** A refused row is kept with its reason; anything else (the database failing) fails the run. */
  private async keepFailure(manager: EntityManager | undefined, runId: number, row: CsvRow, error: unknown): Promise<void> {
    const refusal = error instanceof CrmError ? error : fromDatabaseError(error);
    if (!refusal) throw error;
    await this.runs.recordError(manager, runId, { rowNumber: row.rowNumber, reason: refusal.message, payload: rowPayload(row.values) });
  }
}

/** A row whose intake record could not be built, and why. */
class Unreadable {
  constructor(readonly error: unknown) {}
}

function readRecord(row: CsvRow): IntakeRecord | Unreadable {
  try {
    return toIntakeRecord(row.values);
  } catch (error) {
    return new Unreadable(error);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function readRows(path: string): AsyncIterable<Record<string, unknown>> {
  return createReadStream(path).pipe(
    parse({ bom: true, columns: (header: string[]) => header.map(normalizeHeader), skip_empty_lines: true, relax_column_count: true, trim: true }),
  );
}

/** Data rows in the file (quoted line breaks counted right), read once before the import so progress has a total. */
async function countRows(path: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(path).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, from_line: 2 }))) rows += 1;
  return rows;
}
