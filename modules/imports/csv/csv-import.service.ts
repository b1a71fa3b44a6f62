import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { fromDatabaseError } from '../../core/errors/crm-exception.filter';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../../core/options/crm-module-options';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { IntakeLookupCache } from '../intake/intake-lookup-cache';
import { IntakePipeline, type IntakeOptions, type IntakeResult } from '../intake/intake-pipeline.service';
import type { IntakeOutcome, IntakeRecord } from '../intake/intake-record';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import type { ImportRunCounts, ImportRunErrorInput } from '../runs/import-runs.service';
import { ImportRunsService } from '../runs/import-runs.service';
import { ImportPageAudit, leadOrigin } from '../runs/import-page-audit.service';
import type { ImportOrigin } from '../runs/import-run-range.entity';
import { CSV_COLUMN_NAMES, rowPayload, toIntakeRecord } from './csv-columns';
import { CSV_DELIMITERS, CsvRowProblem, readCsvRows, type CsvDelimiter, type CsvRow } from './csv-reader';
import { CsvUploadReceiver } from './csv-upload.service';
import type { CsvImportQueryDto } from './dto/csv-import-query.dto';

/**
 * How CSV rows are taken: each row is one lead to keep in step, and sources may be named; `cache`
 * shares catalogue lookups between the rows of one batch. A literal rather than a spread of shared
 * options plus `cache`: on Node 20 (V8 11) `{ ...options, cache }` gives every object a hidden
 * class of its own, allocated in the old generation, so one per row piled up until a full GC.
 */
function csvIntake(cache?: IntakeLookupCache, inRun = false): IntakeOptions {
  return { upsert: true, matchSourceNames: true, cache, inRun };
}

/**
 * CSV lead imports: the upload is streamed to a temporary file and answered with a run at once;
 * the rows then go through the intake pipeline in the background, a batch per transaction and per
 * `ingestBatchWithin` call; a refused row changes nothing and is kept for errors.csv, and so is a
 * row that cannot be read as it is (see `readCsvRows`): it fails alone, never the run. A row updates
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
    private readonly audit: AuditLogService,
    private readonly pageAudit: ImportPageAudit,
  ) {}

  onModuleInit(): void {
    this.runs.registerKind('csv', {
      columns: CSV_COLUMN_NAMES,
      correctable: CSV_COLUMN_NAMES,
      replay: (manager, caller, error) => this.pipeline.ingestWithin(manager, caller, toIntakeRecord(error.payload), csvIntake()),
      // The upload's temporary file is on the machine that received it; elsewhere there is nothing to remove.
      interrupted: async (run) => {
        if (run.tempFile) await rm(run.tempFile, { force: true });
      },
    });
  }

  /** Lets runs in progress finish before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async start(caller: CrmCaller, request: IncomingMessage, query: CsvImportQueryDto): Promise<ImportRunDto> {
    const dryRun = query.dryRun ?? false;
    const format = { encoding: query.encoding, delimiter: query.delimiter && CSV_DELIMITERS[query.delimiter] };
    const upload = await this.receiver.receive(request, this.options.intake.csvMaxBytes, format);
    let run;
    try {
      run = await this.runs.start('csv', caller, { dryRun, tempFile: upload.path, fileName: upload.fileName });
    } catch (error) {
      await rm(upload.path, { force: true });
      throw error;
    }
    const work = this.process(run.id, upload.path, upload.delimiter, caller, dryRun).catch((error: unknown) =>
      this.logger.error(`CSV import run ${run.id} could not be closed: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
    return ImportRunDto.from(run);
  }

  private async process(runId: number, path: string, delimiter: CsvDelimiter, caller: CrmCaller, dryRun: boolean): Promise<void> {
    const rows = () => readCsvRows(path, delimiter);
    try {
      await this.runs.markRunning(runId, await countRows(rows()));
      await (dryRun ? this.validateAll(runId, rows()) : this.importAll(runId, caller, rows()));
      await this.runs.finish(runId, 'succeeded');
    } catch (error) {
      this.logger.error(`CSV import run ${runId} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      await this.runs.finish(runId, 'failed', error instanceof Error ? error.message : String(error)).catch(() => undefined);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** A batch of rows per transaction and per pipeline call, audited as one page of the run (with each new lead's row number). */
  private async importAll(runId: number, caller: CrmCaller, rows: AsyncIterable<CsvRow | CsvRowProblem>): Promise<void> {
    for await (const batch of batchesOf(rows, this.options.intake.csvBatchSize)) {
      await yieldToEventLoop();
      await this.transactions.runReadCommitted(async (manager) => {
        const tally = new BatchTally();
        const leads = new Map<number, ImportOrigin>();
        const { result: outcomes, created } = await this.audit.collectCreations(manager, () => this.ingestRows(manager, caller, batch));
        for (const [index, outcome] of outcomes.entries()) {
          tally.add(batch[index], outcome instanceof RowFailure ? outcome : outcome.status);
          if (!(outcome instanceof RowFailure) && outcome.status === 'created') leads.set(outcome.leadId, leadOrigin({ row: batch[index].rowNumber }, outcome));
        }
        await this.pageAudit.record(manager, caller, runId, created, { leads });
        await this.keep(manager, runId, tally);
      });
    }
  }

  /** Each row's outcome, in row order: the pipeline's answer for the batch's records, or why a row gave no record. */
  private async ingestRows(manager: EntityManager, caller: CrmCaller, batch: (CsvRow | CsvRowProblem)[]): Promise<(IntakeResult | RowFailure)[]> {
    const read = batch.map(readRecord);
    const records = read.filter((r): r is IntakeRecord => !(r instanceof RowFailure));
    const answers = await this.pipeline.ingestBatchWithin(manager, caller, records, csvIntake(new IntakeLookupCache(), true));
    let next = 0;
    return read.map((r) => {
      if (r instanceof RowFailure) return r;
      const answer = answers[next++];
      return answer instanceof CrmError ? new RowFailure(answer) : answer;
    });
  }

  /**
   * The dry run: every row matched and checked, nothing written but the failures; valid rows count
   * as `created`. A row is checked as soon as it is read rather than held for a batch, so it is
   * garbage while still young (a held batch outlives V8's young-generation collections and piles
   * up in the old generation until a full collection).
   */
  private async validateAll(runId: number, rows: AsyncIterable<CsvRow | CsvRowProblem>): Promise<void> {
    let tally = new BatchTally();
    // Catalogue lookups are remembered for one batch's worth of rows, as when importing.
    let options = csvIntake(new IntakeLookupCache());
    for await (const row of rows) {
      tally.add(row, await this.check(row, options));
      if (tally.counts.processed < this.options.intake.csvBatchSize) continue;
      await this.transactions.run((manager) => this.keep(manager, runId, tally));
      tally = new BatchTally();
      options = csvIntake(new IntakeLookupCache());
      await yieldToEventLoop();
    }
    if (tally.counts.processed) await this.transactions.run((manager) => this.keep(manager, runId, tally));
  }

  private async check(row: CsvRow | CsvRowProblem, options: IntakeOptions): Promise<RowOutcome> {
    if (row instanceof CsvRowProblem) return unreadable(row);
    try {
      await this.pipeline.prepare(this.dataSource.manager, toIntakeRecord(row.values), options);
      return 'created';
    } catch (error) {
      return new RowFailure(error);
    }
  }

  /** A batch's failures and counts, in the caller's transaction, so they commit with what the batch wrote. */
  private async keep(manager: EntityManager, runId: number, tally: BatchTally): Promise<void> {
    await this.runs.recordErrors(manager, runId, tally.failures);
    await this.runs.progress(runId, tally.counts, manager);
  }
}

/** Why a row was not taken: a refusal (kept for errors.csv) or anything else (which fails the run). */
class RowFailure {
  constructor(readonly error: unknown) {}
}

type RowOutcome = IntakeOutcome['status'] | RowFailure;

/** What a batch adds to its run: the counts, and each refused row with its reason. */
class BatchTally {
  readonly counts: Required<ImportRunCounts> = { processed: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
  readonly failures: ImportRunErrorInput[] = [];

  add(row: CsvRow | CsvRowProblem, outcome: RowOutcome): void {
    this.counts.processed += 1;
    if (!(outcome instanceof RowFailure)) {
      this.counts[outcome] += 1;
      return;
    }
    const refusal = outcome.error instanceof CrmError ? outcome.error : fromDatabaseError(outcome.error);
    if (!refusal) throw outcome.error;
    this.counts.failed += 1;
    this.failures.push({ rowNumber: row.rowNumber, reason: refusal.message, payload: rowPayload(row.values) });
  }
}

/** A row that could not be read, refused in our words. */
function unreadable(row: CsvRowProblem): RowFailure {
  return new RowFailure(CrmError.invalidField('row', 'csv', row.reason));
}

function readRecord(row: CsvRow | CsvRowProblem): IntakeRecord | RowFailure {
  if (row instanceof CsvRowProblem) return unreadable(row);
  try {
    return toIntakeRecord(row.values);
  } catch (error) {
    return new RowFailure(error);
  }
}

/**
 * better-sqlite3 answers synchronously: without a turn of the event loop the whole import would run
 * without the host serving a request. The pipeline takes a batch whole, so between batches is the
 * finest place to yield when importing; a dry-run batch takes tens of milliseconds, so once per
 * batch is enough there too.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length < size) continue;
    yield batch;
    batch = [];
  }
  if (batch.length) yield batch;
}

/** Data rows in the file (unreadable ones too), read once before the import so progress has a total. */
async function countRows(rows: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of rows) count += 1;
  return count;
}
