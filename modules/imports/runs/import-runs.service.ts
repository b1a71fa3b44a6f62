import { Injectable, Logger, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, IsNull, MoreThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { insertMany } from '../../core/database/insert-without-reload';
import { CrmError } from '../../core/errors/crm-error';
import { mapPage, Page, toPage } from '../../core/http/page';
import { ListTotals } from '../../core/http/list-totals.service';
import type { IntakeOutcome } from '../intake/intake-record';
import { ImportRunDto, ReplayResultDto } from './dto/import-run.dto';
import type { ImportRunQueryDto } from './dto/import-run-query.dto';
import { ImportRunError } from './import-run-error.entity';
import { ImportRun, ImportRunKind, ImportRunStatus } from './import-run.entity';
import { RunHeartbeat } from './run-heartbeat.service';

/** Counters a run's progress adds to (each a delta, not a total). */
export type ImportRunCounts = Partial<Pick<ImportRun, 'processed' | 'created' | 'updated' | 'skipped' | 'failed'>>;

/** What a failed row held, why it failed, and where it was. */
export interface ImportRunErrorInput {
  rowNumber?: number | null;
  reference?: string | null;
  reason: string;
  payload: Record<string, unknown>;
}

/** How one kind of import puts a failed row through again, and the columns its errors.csv shows. */
export interface ImportKindHandler {
  /** The payload fields, in order, as errors.csv columns (ready to fix and re-upload); default: one JSON `payload` column. */
  columns?: readonly string[];
  replay(manager: EntityManager, caller: CrmCaller, error: ImportRunError): Promise<IntakeOutcome>;
  /** The payload fields a manager may correct before a replay (`POST …/replay { corrections }`). */
  correctable?: readonly string[];
  /** Cleans up after a run of this kind that was marked interrupted (say, removes its temporary file). */
  interrupted?(run: ImportRun): Promise<void>;
}

const COUNTERS = ['processed', 'created', 'updated', 'skipped', 'failed'] as const;
const ERRORS_PAGE = 500;

/**
 * The run history every import writes to: a run is started, advanced by count deltas, finished,
 * and keeps each failed row with its reason. Counter updates are atomic increments, so several
 * workers may report on one run. A run is heartbeated from start to finish (`RunHeartbeat`), so
 * one whose process died ends up `interrupted` rather than `running` forever.
 */
@Injectable()
export class ImportRunsService {
  private readonly handlers = new Map<ImportRunKind, ImportKindHandler>();
  private readonly logger = new Logger('CrmImportRuns');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly heartbeat: RunHeartbeat,
  ) {
    heartbeat.onInterrupted((runs) => this.cleanUpInterrupted(runs));
  }

  /** Called by each import kind's module at start-up. */
  registerKind(kind: ImportRunKind, handler: ImportKindHandler): void {
    this.handlers.set(kind, handler);
  }

  /** A new `queued` run held by this instance; `tempFile` is removed should the run be interrupted. */
  async start(kind: ImportRunKind, caller: CrmCaller, options: { dryRun?: boolean; total?: number | null; tempFile?: string; fileName?: string | null } = {}): Promise<ImportRun> {
    const { identifiers } = await this.own((manager) => manager.insert(ImportRun, {
      kind,
      status: 'queued',
      dryRun: options.dryRun ?? false,
      total: options.total ?? null,
      createdById: caller.id,
      tempFile: options.tempFile ?? null,
      fileName: options.fileName?.slice(0, 255) ?? null,
    }));
    const runId = Number(identifiers[0].id);
    await this.heartbeat.hold(runId);
    return this.load(runId);
  }

  /** Marks the run running (and its total, once known). */
  async markRunning(runId: number, total?: number | null): Promise<void> {
    await this.own((manager) => manager.update(ImportRun, { id: runId }, { status: 'running', startedAt: new Date(), ...(total === undefined ? {} : { total }) }));
  }

  async setTotal(runId: number, total: number): Promise<void> {
    await this.own((manager) => manager.update(ImportRun, { id: runId }, { total }));
  }

  /** Adds the deltas to the run's counters; pass the transaction's manager to count only what commits. */
  async progress(runId: number, delta: ImportRunCounts, manager?: EntityManager): Promise<void> {
    // Added in SQL (`processed = processed + n`), so a replay counting into the same run at the same time loses nothing.
    const set: Record<string, () => string> = {};
    const parameters: Record<string, number> = { runId };
    for (const counter of COUNTERS) {
      const n = Math.trunc(delta[counter] ?? 0);
      if (n === 0) continue;
      set[counter] = () => `${counter} + :${counter}`;
      parameters[counter] = n;
    }
    if (Object.keys(set).length === 0) return;
    const write = (m: EntityManager) => m.createQueryBuilder().update(ImportRun).set(set).where('id = :runId').setParameters(parameters).execute();
    await (manager ? write(manager) : this.own(write));
  }

  async finish(runId: number, status: Extract<ImportRunStatus, 'succeeded' | 'failed'>, error?: string): Promise<void> {
    await this.own((manager) => manager.update(ImportRun, { id: runId }, { status, finishedAt: new Date(), error: error?.slice(0, 4000) ?? null }));
    this.heartbeat.release(runId);
  }

  /** Lets each kind clean up after its interrupted runs; a failure there is logged, never thrown. */
  private async cleanUpInterrupted(runs: ImportRun[]): Promise<void> {
    for (const run of runs) {
      try {
        await this.handlers.get(run.kind)?.interrupted?.(run);
      } catch (error) {
        this.logger.warn(`Cleaning up after interrupted run ${run.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async recordError(manager: EntityManager | undefined, runId: number, input: ImportRunErrorInput): Promise<void> {
    await this.recordErrors(manager, runId, [input]);
  }

  /**
   * Keeps failed rows with multi-row INSERTs of bound values. TypeORM's query builder would write
   * the numbers (run id, row number) into the SQL text on SQLite, so every failed row of a big
   * import prepared a statement of its own, whose native memory lasted until V8 collected it; and
   * a reload of the generated columns would re-select each row by its literal id.
   */
  async recordErrors(manager: EntityManager | undefined, runId: number, inputs: ImportRunErrorInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const rows = inputs.map((input) => ({
      runId,
      rowNumber: input.rowNumber ?? null,
      reference: input.reference ?? null,
      reason: input.reason.slice(0, 2000),
      payload: input.payload,
    }));
    await (manager ? insertMany(manager, ImportRunError, rows) : this.own((m) => insertMany(m, ImportRunError, rows)));
  }

  /**
   * Run bookkeeping that belongs to no caller's transaction. Through the transaction runner, so on
   * SQLite's single shared connection it never lands inside (and rolls back with) another one.
   */
  private own<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  async list(_caller: CrmCaller, query: ImportRunQueryDto): Promise<Page<ImportRunDto>> {
    const [runs, total] = await this.totals.itemsAndTotal(
      this.dataSource.getRepository(ImportRun).createQueryBuilder().setFindOptions({
        where: query.kind ? { kind: query.kind } : {},
        order: { id: 'DESC' },
        skip: (query.page - 1) * query.limit,
        take: query.limit,
      }),
    );
    return mapPage(toPage(runs, total, query), ImportRunDto.from);
  }

  async get(_caller: CrmCaller, runId: number): Promise<ImportRunDto> {
    return ImportRunDto.from(await this.load(runId));
  }

  /**
   * Every failed row as CSV, streamed page by page: `error_id` (what `POST …/errors/{errorId}/replay`
   * takes), the row's number, its own columns, and `error`.
   */
  async errorsCsv(_caller: CrmCaller, runId: number): Promise<StreamableFile> {
    const run = await this.load(runId);
    const columns = this.handlers.get(run.kind)?.columns;
    const header = columns ? ['error_id', 'row_number', ...columns, 'error'] : ['error_id', 'row_number', 'reference', 'payload', 'error'];
    const rows = Readable.from(this.errorRows(runId, columns));
    const csv = rows.pipe(stringify({ header: true, columns: header }));
    return new StreamableFile(csv, { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="import-run-${runId}-errors.csv"` });
  }

  /**
   * Puts one failed row through its import again, with a manager's `corrections` to its fields (a
   * null or empty value removes the field); on success the error is marked replayed, keeps the
   * payload as replayed, and the run is recounted. Still refused: the reason, nothing changed.
   */
  async replayError(caller: CrmCaller, runId: number, errorId: number, corrections?: Record<string, unknown>): Promise<ReplayResultDto> {
    // Replays go through the intake pipeline, which locks the record's keys (IntakeKeyLocks).
    return this.transactions.runReadCommitted(async (manager) => {
      const run = await manager.findOne(ImportRun, { where: { id: runId } });
      if (!run) throw CrmError.notFound('Import run', runId);
      const error = await manager.findOne(ImportRunError, { where: { id: errorId, runId } });
      if (!error) throw CrmError.notFound('Import run error', errorId);
      if (error.replayedAt) throw new CrmError('CONFLICT', `Error ${errorId} was already replayed`, { replayedAt: error.replayedAt });
      if (run.dryRun) throw new CrmError('CONFLICT', `Run ${runId} was a dry run: import the file for real instead of replaying its rows`, { dryRun: true });
      const handler = this.handlers.get(run.kind);
      if (!handler) throw new CrmError('UNAVAILABLE', `No importer of kind ${run.kind} is loaded to replay this row`);
      const payload = corrections ? corrected(error.payload, corrections, handler.correctable ?? []) : error.payload;
      const outcome = await handler.replay(manager, caller, Object.assign(new ImportRunError(), error, { payload }));
      const replayed: Partial<ImportRunError> = { replayedAt: new Date(), ...(corrections ? { payload } : {}) };
      // TypeORM's partial type does not see through the simple-json column's Record type.
      await manager.update(ImportRunError, { id: errorId }, replayed as QueryDeepPartialEntity<ImportRunError>);
      await this.progress(runId, { failed: -1, [outcome.status]: 1 }, manager);
      // The answer is the documented ReplayResultDto, whatever else a handler's outcome carries.
      const { status, leadId, duplicateOfLeadId } = outcome;
      return { errorId, status, leadId, ...(duplicateOfLeadId === undefined ? {} : { duplicateOfLeadId }) };
    });
  }

  async load(runId: number): Promise<ImportRun> {
    const run = await this.dataSource.manager.findOne(ImportRun, { where: { id: runId } });
    if (!run) throw CrmError.notFound('Import run', runId);
    return run;
  }

  private async *errorRows(runId: number, columns: readonly string[] | undefined): AsyncGenerator<Record<string, unknown>> {
    let after = 0;
    for (;;) {
      const page = await this.dataSource.manager.find(ImportRunError, {
        where: { runId, id: MoreThan(after), replayedAt: IsNull() },
        order: { id: 'ASC' },
        take: ERRORS_PAGE,
      });
      for (const error of page) {
        const base = { error_id: error.id, row_number: error.rowNumber ?? '', error: error.reason };
        yield columns
          ? { ...Object.fromEntries(columns.map((c) => [c, error.payload[c] ?? ''])), ...base }
          : { ...base, reference: error.reference ?? '', payload: JSON.stringify(error.payload) };
      }
      if (page.length < ERRORS_PAGE) return;
      after = page[page.length - 1].id;
    }
  }
}

/** The payload with a manager's corrections: each a known field, a string (null or '' removes it). */
function corrected(payload: Record<string, unknown>, corrections: Record<string, unknown>, correctable: readonly string[]): Record<string, unknown> {
  const next = { ...payload };
  for (const [field, value] of Object.entries(corrections)) {
    if (!correctable.includes(field)) {
      throw CrmError.invalidField(`corrections.${field}`, 'isIn', `corrections.${field} is not a field of this import; correct one of: ${correctable.join(', ')}`);
    }
    if (value !== null && typeof value !== 'string') throw CrmError.invalidField(`corrections.${field}`, 'isString', `corrections.${field} must be a string or null`);
    if (typeof value === 'string' && value.length > 10_000) throw CrmError.invalidField(`corrections.${field}`, 'maxLength', `corrections.${field} must be at most 10000 characters`);
    if (value === null || value.trim() === '') delete next[field];
    else next[field] = value;
  }
  return next;
}
