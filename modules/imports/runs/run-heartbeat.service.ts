import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Brackets, DataSource, In } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { databaseNow } from '../../core/database/database-clock';
import { CRM_OPTIONS, type ResolvedCrmOptions, type ResolvedRunsOptions } from '../../core/options/crm-module-options';
import { ImportRun } from './import-run.entity';

const UNFINISHED = ['queued', 'running'] as const;

/**
 * Tells runs a live instance is working on from runs a dead process left behind. Every run this
 * instance starts is stamped with its `holder` and heartbeated every `heartbeatSeconds` on the
 * database's clock; at start-up and at every heartbeat, `queued`/`running` runs not heartbeated for
 * `staleAfterSeconds` are marked `interrupted`. Another live instance's runs keep beating, so a
 * starting instance leaves them alone. The distributor also interrupts the runs of a holder whose
 * sync lease it takes over (`interruptHeldBy`), without waiting for the heartbeat to go stale.
 */
@Injectable()
export class RunHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  /** This instance, as written in runs and leases. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(0, 120);
  private readonly logger = new Logger('CrmImportRuns');
  private readonly settings: ResolvedRunsOptions;
  private readonly active = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private listener: (runs: ImportRun[]) => Promise<void> = async () => undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CRM_OPTIONS) options: ResolvedCrmOptions,
    private readonly transactions: CrmTransactions,
  ) {
    this.settings = options.runs;
  }

  /** Called with the runs this instance marked interrupted (their kinds clean up after them). */
  onInterrupted(listener: (runs: ImportRun[]) => Promise<void>): void {
    this.listener = listener;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.settings.heartbeatSeconds * 1000);
    // A heartbeat alone must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The run is this instance's from now on: stamped and heartbeated until `release`. */
  async hold(runId: number): Promise<void> {
    this.active.add(runId);
    await this.transactions.run((manager) =>
      manager.createQueryBuilder().update(ImportRun).set({ holder: this.holder, heartbeatAt: () => databaseNow(this.dataSource) }).where('id = :runId', { runId }).execute(),
    );
  }

  release(runId: number): void {
    this.active.delete(runId);
  }

  /**
   * Marks `interrupted` the unfinished runs of `kind` held by `holder`, an instance whose lease
   * expired (so it stopped renewing it): it died, or it will find its lease gone and stop.
   */
  async interruptHeldBy(holder: string, kind: ImportRun['kind'], reason: string): Promise<ImportRun[]> {
    if (holder === this.holder) return [];
    const runs = await this.transactions.run((manager) => manager.find(ImportRun, { where: { holder, kind, status: In([...UNFINISHED]) } }));
    return this.interrupt(runs, reason, false);
  }

  /** Heartbeats this instance's runs, then interrupts the runs nobody heartbeats any more. Never throws. */
  async tick(): Promise<void> {
    try {
      const active = [...this.active];
      if (active.length) {
        await this.transactions.run((manager) =>
          manager.createQueryBuilder().update(ImportRun).set({ heartbeatAt: () => databaseNow(this.dataSource) }).where({ id: In(active) }).execute(),
        );
      }
      await this.interruptStale();
    } catch (error) {
      this.logger.warn(`Import run heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async interruptStale(): Promise<ImportRun[]> {
    const stale = await this.transactions.run((manager) => {
      const query = manager.createQueryBuilder(ImportRun, 'r').where({ status: In([...UNFINISHED]) }).andWhere(this.staleCondition('r'));
      if (this.active.size) query.andWhere('r.id NOT IN (:...active)', { active: [...this.active] });
      return query.getMany();
    });
    return this.interrupt(stale, `Interrupted: the process running it stopped (no heartbeat for ${this.settings.staleAfterSeconds} s)`, true);
  }

  /** Each run, if still unfinished (and still stale, when `stale`), marked interrupted with `reason`. */
  private async interrupt(runs: ImportRun[], reason: string, stale: boolean): Promise<ImportRun[]> {
    const interrupted: ImportRun[] = [];
    for (const run of runs) {
      const { affected } = await this.transactions.run((manager) => {
        const update = manager
          .createQueryBuilder()
          .update(ImportRun)
          .set({ status: 'interrupted', error: `${reason}. ${resumeHint(run)}`, finishedAt: new Date() })
          .where({ id: run.id, status: In([...UNFINISHED]) });
        // The row is checked again as it is written: its holder may have beaten in between.
        if (stale) update.andWhere(this.staleCondition(''));
        return update.execute();
      });
      if (!affected) continue;
      this.logger.warn(`Import run ${run.id} (${run.kind}) marked interrupted: ${reason}`);
      interrupted.push(run);
    }
    if (interrupted.length) await this.listener(interrupted);
    return interrupted;
  }

  /** `heartbeatAt` missing or older than `staleAfterSeconds`; `alias` is the select's alias (none in an UPDATE). */
  private staleCondition(alias: string): Brackets {
    const before = databaseNow(this.dataSource, -this.settings.staleAfterSeconds);
    const column = alias ? `${alias}.heartbeatAt` : this.dataSource.driver.escape('heartbeatAt');
    return new Brackets((w) => w.where(`${column} IS NULL`).orWhere(`${column} < ${before}`));
  }
}

function resumeHint(run: ImportRun): string {
  return run.kind === 'distributor'
    ? 'The next run resumes from the cursor: what the run committed stays, nothing is imported twice'
    : 'Upload the file again: rows already imported are updated or skipped, not duplicated';
}
