import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../../core/options/crm-module-options';
import { DistributorSyncService } from './distributor-sync.service';

export const DISTRIBUTOR_CRON_JOB = 'crm-distributor-sync';

/**
 * Registers the distributor sync's cron job, only when the distributor is configured. The job goes
 * into the host's `SchedulerRegistry` (the host imports `ScheduleModule.forRoot()`, the plugin never
 * does), so the host can list, stop or reschedule it like its own jobs.
 */
@Injectable()
export class DistributorScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DistributorSync');
  private readonly cron: string;
  private job: CronJob | null = null;

  constructor(
    private readonly sync: DistributorSyncService,
    @Inject(CRM_OPTIONS) options: ResolvedCrmOptions,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {
    this.cron = options.distributor.cron;
  }

  onApplicationBootstrap(): void {
    if (!this.sync.enabled || !this.cron) return;
    if (!this.registry) {
      this.logger.warn('ScheduleModule.forRoot() is not imported by the host: the distributor sync runs only on demand (POST /crm/imports/distributor/run, npm run sync)');
      return;
    }
    this.job = CronJob.from({ cronTime: this.cron, onTick: () => this.sync.runScheduled(), waitForCompletion: true });
    this.registry.addCronJob(DISTRIBUTOR_CRON_JOB, this.job);
    this.job.start();
    this.logger.log(`Distributor sync scheduled: ${this.cron}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.job) return;
    await this.job.stop();
    if (this.registry?.doesExist('cron', DISTRIBUTOR_CRON_JOB)) this.registry.deleteCronJob(DISTRIBUTOR_CRON_JOB);
    this.job = null;
  }
}
