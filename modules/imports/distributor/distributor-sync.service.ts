import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { systemCaller, type CrmCaller } from '../../core/access/crm-caller';
import { CRM_PERMISSIONS } from '../../core/access/crm-permissions';
import { CrmError } from '../../core/errors/crm-error';
import { CRM_OPTIONS, type DistributorModelMapping, type ResolvedCrmOptions, type ResolvedDistributorOptions } from '../../core/options/crm-module-options';
import { IntakePipeline } from '../intake/intake-pipeline.service';
import type { IntakeRecord } from '../intake/intake-record';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import { ImportRun } from '../runs/import-run.entity';
import { ImportRunsService } from '../runs/import-runs.service';
import { CursorPosition, afterDomain, isAfter, shiftedBy } from './cursor-position';
import { DistributorPageWriter, DistributorSyncFailure } from './distributor-page-writer.service';
import { OdooClient, OdooError, type OdooRecord } from './odoo-client';
import { assertMappableFields } from './odoo-record-mapper';
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
 * Pulls the distributor's Odoo models into leads. A run pages through each model from its cursor in
 * `write_date, id` order; each page commits with its cursor (`DistributorPageWriter`). Runs never
 * overlap: an in-process flag, plus a database lease when instances share MySQL/MariaDB.
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
  ) {
    this.settings = options.distributor;
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  onModuleInit(): void {
    this.settings.models.forEach(assertMappableFields);
    this.runs.registerKind('distributor', {
      replay: (manager, caller, error) => {
        const record = error.payload as IntakeRecord;
        return this.pipeline.ingestWithin(manager, caller, record, { sourceCode: record.source });
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
    if (!(await this.lease.acquire(DISTRIBUTOR_SYNC, this.settings.leaseSeconds))) {
      throw new CrmError('CONFLICT', 'A distributor sync is already running in another instance');
    }
    try {
      const run = await this.runs.start('distributor', startedBy);
      await this.runs.markRunning(run.id);
      return { run, done: this.execute(run.id) };
    } catch (error) {
      await this.lease.release(DISTRIBUTOR_SYNC);
      throw error;
    }
  }

  /**
   * The run itself. The lease and the in-process flag are let go before the run is marked finished,
   * so whoever sees it finished can start the next one at once.
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
    }
    await this.lease.release(DISTRIBUTOR_SYNC).catch(() => undefined);
    this.busy = false;
    await this.runs.finish(runId, failure === null ? 'succeeded' : 'failed', failure ?? undefined);
    return this.runs.load(runId);
  }

  /** Every model's source, checked before anything is pulled, so a run imports all or fails at once. */
  private async assertSourcesUsable(): Promise<void> {
    for (const mapping of this.settings.models) await this.pages.assertSourceUsable(this.dataSource.manager, mapping);
  }

  private async syncModel(runId: number, caller: CrmCaller, client: OdooClient, mapping: DistributorModelMapping): Promise<void> {
    const stored = await this.dataSource.manager.findOne(SyncCursor, { where: { model: mapping.model } });
    let committed: CursorPosition | null = stored ? { writeDate: stored.writeDate, lastId: stored.lastId } : null;
    const readFrom = committed && this.settings.overlapSeconds > 0 ? shiftedBy(committed, -this.settings.overlapSeconds) : committed;
    let next: Promise<OdooRecord[]> | null = this.readPage(client, mapping, readFrom);
    try {
      while (next) {
        const page = await next;
        next = null;
        if (page.length === 0) return;
        const last = page[page.length - 1];
        const position = { writeDate: last.write_date, lastId: last.id };
        // The next page is read from Odoo while this one is written.
        if (page.length === this.settings.batchSize) next = this.readPage(client, mapping, position);
        // Re-read overlap pages must not move the cursor backwards.
        committed = committed && !isAfter(position, committed) ? committed : position;
        if (this.stopping) throw new DistributorSyncFailure('Stopped: the application is shutting down; the next run resumes from the cursor');
        await this.pages.write(runId, caller, mapping, page, committed);
        if (!(await this.lease.renew(DISTRIBUTOR_SYNC, this.settings.leaseSeconds))) {
          throw new DistributorSyncFailure('The sync lease expired and another instance took it over; this run stopped');
        }
      }
    } finally {
      // A page read ahead for a run that stopped is dropped, its failure with it.
      next?.catch(() => undefined);
    }
  }

  private readPage(client: OdooClient, mapping: DistributorModelMapping, after: CursorPosition | null): Promise<OdooRecord[]> {
    return client.searchRead({
      model: mapping.model,
      domain: afterDomain(after),
      fields: ['write_date', ...Object.keys(mapping.fields)],
      order: 'write_date asc, id asc',
      limit: this.settings.batchSize,
    });
  }
}
