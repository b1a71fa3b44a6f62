import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { systemCaller, type CrmCaller } from '../../core/access/crm-caller';
import { CRM_PERMISSIONS } from '../../core/access/crm-permissions';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { CRM_OPTIONS, type DistributorModelMapping, type ResolvedCrmOptions, type ResolvedDistributorOptions } from '../../core/options/crm-module-options';
import { IntakePipeline } from '../intake/intake-pipeline.service';
import type { IntakeRecord } from '../intake/intake-record';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import { ImportRun } from '../runs/import-run.entity';
import { ImportRunsService } from '../runs/import-runs.service';
import { RunHeartbeat } from '../runs/run-heartbeat.service';
import { CURSOR_ORDER, CursorPosition, CursorRead, domainOf, isAfter, planPage, secondAt, shiftedSecond, startOf } from './cursor-position';
import { DistributorPageWriter, DistributorSyncFailure } from './distributor-page-writer.service';
import { OdooClient, OdooError, type OdooPage, type OdooRecord } from './odoo-client';
import { assertMappableFields, completeFields, DISTRIBUTOR_INTAKE_FIELDS } from './odoo-record-mapper';
import { SyncCursor } from './sync-cursor.entity';
import { SyncLeaseService } from './sync-lease.service';

/** The lease name, and the id the sync acts under in the audit log. */
export const DISTRIBUTOR_SYNC = 'distributor-sync';

/** A started run and the promise of its end. */
export interface StartedDistributorRun {
  run: ImportRun;
  done: Promise<ImportRun>;
}

/**
 * Pulls the distributor's Odoo models into leads. A run pages through each model from its cursor
 * (`CursorPosition`: whole seconds, then a second's records by id when they fill a page); each page
 * commits with its cursor (`DistributorPageWriter`). Runs never overlap: an in-process flag, plus a
 * database lease for instances sharing the database.
 */
@Injectable()
export class DistributorSyncService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('DistributorSync');
  private readonly settings: ResolvedDistributorOptions;
  private busy = false;
  private current: Promise<ImportRun> | null = null;
  private stopping = false;

  constructor(
    @Inject(CRM_OPTIONS) options: ResolvedCrmOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: ImportRunsService,
    private readonly pages: DistributorPageWriter,
    private readonly lease: SyncLeaseService,
    private readonly pipeline: IntakePipeline,
    private readonly heartbeat: RunHeartbeat,
    private readonly transactions: CrmTransactions,
  ) {
    this.settings = options.distributor;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  onModuleInit(): void {
    this.settings.models.forEach(assertMappableFields);
    this.runs.registerKind('distributor', {
      correctable: DISTRIBUTOR_INTAKE_FIELDS,
      // The record as it was refused (or as a manager corrected it), normalised as new records are.
      replay: (manager, caller, error) => {
        const record = error.payload as IntakeRecord;
        const mapping = this.settings.models.find((m) => m.model === record.externalSource);
        return this.pipeline.ingestWithin(manager, caller, record, { sourceCode: record.source, ...(mapping ? { complete: completeFields(mapping) } : {}) });
      },
    });
  }

  /** Before the database closes: the run stops after its current page, and the next run resumes from the cursor. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.current?.catch(() => undefined);
  }

  /** Starts a run now and returns it while it proceeds in the background (409 when one is running). */
  async start(startedBy: CrmCaller): Promise<StartedDistributorRun> {
    if (!this.settings.enabled) throw new CrmError('UNAVAILABLE', 'The distributor sync is not configured (distributor.url is not set)');
    if (this.busy) throw new CrmError('CONFLICT', 'A distributor sync is already running in this instance');
    this.busy = true;
    let started: StartedDistributorRun;
    try {
      started = await this.claimRun(startedBy);
    } catch (error) {
      this.busy = false;
      throw error;
    }
    const done = started.done.finally(() => {
      if (this.current === done) this.current = null;
    });
    // Started over HTTP, nobody awaits the end: it must never be an unhandled rejection.
    done.catch(() => undefined);
    this.current = done;
    return { run: started.run, done };
  }

  /** `POST /crm/imports/distributor/run`: the run as it starts. */
  async startRun(caller: CrmCaller): Promise<ImportRunDto> {
    const { run } = await this.start(caller);
    return ImportRunDto.from(run);
  }

  /** Runs one sync to its end (for `npm run sync` and the scheduler). */
  async runNow(startedBy: CrmCaller = systemCaller(DISTRIBUTOR_SYNC, CRM_PERMISSIONS)): Promise<ImportRun> {
    return (await this.start(startedBy)).done;
  }

  /** The cron tick: a run still going, or one held by another instance, is not an error, just skipped. */
  async runScheduled(): Promise<void> {
    try {
      const run = await this.runNow();
      this.logger.log(`Run ${run.id} ${run.status}: ${run.created} created, ${run.updated} updated, ${run.skipped} skipped, ${run.failed} refused${run.error ? ` (${run.error})` : ''}`);
    } catch (error) {
      if (error instanceof CrmError && error.code === 'CONFLICT') return this.logger.debug(error.message);
      this.logger.error(`Distributor sync failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async claimRun(startedBy: CrmCaller): Promise<StartedDistributorRun> {
    const lease = await this.lease.acquire(DISTRIBUTOR_SYNC, this.settings.leaseSeconds);
    if (!lease) throw new CrmError('CONFLICT', 'A distributor sync is already running in another instance');
    try {
      // The previous holder let its lease expire: its runs will never finish.
      if (lease.tookOverFrom) await this.heartbeat.interruptHeldBy(lease.tookOverFrom, 'distributor', `Interrupted: its instance (${lease.tookOverFrom}) stopped renewing the sync lease`);
      const run = await this.runs.start('distributor', startedBy);
      await this.runs.markRunning(run.id);
      return { run, done: this.execute(run.id) };
    } catch (error) {
      await this.lease.release(DISTRIBUTOR_SYNC).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The run itself; it never rejects. Whatever fails (Odoo, the network, the database), the reason
   * is recorded on the run and the lease and the in-process flag are let go, before the run is marked
   * finished, so whoever sees it finished can start the next one at once. Should the database be
   * gone even for that, the run is left to its heartbeat and ends up `interrupted`.
   */
  private async execute(runId: number): Promise<ImportRun> {
    const caller = systemCaller(DISTRIBUTOR_SYNC, CRM_PERMISSIONS);
    let failure: string | null = null;
    try {
      await this.assertSourcesUsable();
      const client = new OdooClient(this.settings, (error, attempt) =>
        this.logger.warn(`Odoo call failed (${error.message}); retry ${attempt} of ${this.settings.retries}`),
      );
      for (const mapping of this.settings.models) await this.syncModel(runId, caller, client, mapping);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
      if (!(error instanceof DistributorSyncFailure || error instanceof OdooError)) this.logger.error(`Run ${runId} failed`, error instanceof Error ? error.stack : undefined);
      else this.logger.warn(`Run ${runId} failed: ${failure}`);
    }
    await this.lease.release(DISTRIBUTOR_SYNC).catch((error: unknown) => this.logger.warn(`The sync lease could not be released (it expires by itself): ${describe(error)}`));
    this.busy = false;
    try {
      await this.runs.finish(runId, failure === null ? 'succeeded' : 'failed', failure ?? undefined);
      return await this.runs.load(runId);
    } catch (error) {
      this.logger.error(`Run ${runId} could not be recorded as ${failure === null ? 'succeeded' : `failed (${failure})`}: ${describe(error)}`);
      return Object.assign(new ImportRun(), { id: runId, kind: 'distributor', status: failure === null ? 'succeeded' : 'failed', error: failure }) as ImportRun;
    }
  }

  /** Every model's source, checked before anything is pulled, so a run imports all or fails at once. */
  private async assertSourcesUsable(): Promise<void> {
    for (const mapping of this.settings.models) await this.pages.assertSourceUsable(this.dataSource.manager, mapping);
  }

  /**
   * One pass over a model, from its cursor (or earlier, where the late-commit window is still open),
   * page by page as `planPage` says. The next page is read from Odoo while this one is written; that
   * read is settled at once, so its failure waits to be looked at instead of going unhandled. Where
   * transactions run side by side (not SQLite), a page starts as soon as it is read, while the one
   * before it still writes: it checks its records meanwhile, then waits for that page to commit
   * (`writePage`). Odoo is asked for the page after it only once the page before it committed, as
   * when pages were written one at a time, and whatever stops the run, the page being written ends first.
   */
  private async syncModel(runId: number, caller: CrmCaller, client: OdooClient, mapping: DistributorModelMapping): Promise<void> {
    const stored = await this.dataSource.manager.findOne(SyncCursor, { where: { model: mapping.model } });
    let committed: CursorPosition | null = stored ? { writeDate: stored.writeDate, lastId: stored.lastId } : null;
    const settled = stored ? (stored.settledBefore ?? this.windowStart(stored.writeDate)) : null;
    let read: CursorRead | null = startOf(committed, this.settings.lateCommitWindowSeconds > 0 ? settled : null);
    let ahead: Promise<Settled<OdooPage>> = settle(this.readPage(client, mapping, read));
    let passStartedAt: number | null = null;
    // The page being written: its commit and the lease renewal after it.
    let writing: Promise<void> | null = null;
    try {
      while (read) {
        const page = unwrap(await ahead);
        passStartedAt ??= page.serverTime;
        const plan = planPage(read, page.records, this.settings.batchSize);
        read = plan.next;
        // Pages re-read inside the late-commit window must not move the cursor backwards.
        if (plan.position && (!committed || isAfter(plan.position, committed))) committed = plan.position;
        const previous = writing;
        if (plan.take.length > 0) {
          if (this.stopping) throw new DistributorSyncFailure('Stopped: the application is shutting down; the next run resumes from the cursor');
          writing = this.writePage(runId, caller, mapping, plan.take, committed!, previous);
          // Looked at when awaited; until then its failure must not go unhandled.
          writing.catch(() => undefined);
          if (!this.transactions.supportsRowLocks) await writing;
        }
        if (previous) await previous;
        // Settled, so if the run stops before looking at it, its failure goes nowhere.
        if (read) ahead = settle(this.readPage(client, mapping, read));
      }
      await writing;
    } catch (error) {
      const last = writing ? await settle(writing) : null;
      // A failure of the page being written came first (unless it only gave up after the one before it failed).
      if (last && !last.ok && !(last.error instanceof EarlierPageFailed) && last.error !== error) throw last.error;
      throw error;
    }
    if (passStartedAt !== null) await this.pages.settle(mapping, this.windowStart(secondAt(passStartedAt)), committed);
  }

  /**
   * Writes a page and renews the lease. With a page still being written before it, its lookups wait
   * for that page's commit and renewal, and it gives up, writing nothing, when that page failed or
   * the application started shutting down meanwhile (the run stops after its current page).
   */
  private async writePage(runId: number, caller: CrmCaller, mapping: DistributorModelMapping, take: OdooRecord[], advanceTo: CursorPosition, previous: Promise<void> | null): Promise<void> {
    const afterPrevious = async () => {
      if (!previous) return;
      if (!(await settle(previous)).ok) throw new EarlierPageFailed('The page before this one failed; this one was not written');
      if (this.stopping) throw new DistributorSyncFailure('Stopped: the application is shutting down; the next run resumes from the cursor');
    };
    await this.pages.write(runId, caller, mapping, take, advanceTo, afterPrevious);
    if (!(await this.lease.renew(DISTRIBUTOR_SYNC, this.settings.leaseSeconds))) {
      throw new DistributorSyncFailure('The sync lease expired and another instance took it over; this run stopped');
    }
  }

  /** The second the late-commit window opens at, `lateCommitWindowSeconds` before `second`. */
  private windowStart(second: string): string {
    return shiftedSecond(second, -this.settings.lateCommitWindowSeconds);
  }

  private readPage(client: OdooClient, mapping: DistributorModelMapping, read: CursorRead): Promise<OdooPage> {
    return client.searchRead({
      model: mapping.model,
      domain: domainOf(read),
      fields: ['write_date', ...Object.keys(mapping.fields)],
      order: CURSOR_ORDER[read.mode],
      limit: this.settings.batchSize,
    });
  }
}

/** A page that gave up because the page before it failed: the run reports that page's failure. */
class EarlierPageFailed extends DistributorSyncFailure {}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: its outcome is looked at when it is awaited. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
