import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DistributorSyncService } from '../modules';
import { AppModule } from './app.module';
import { describeDatabase } from './database/database-options';
import { hostConfigFromEnv } from './host-config';

/**
 * `npm run sync`: one distributor sync against the demo host's database (`CRM_DB_URL`) and the
 * `CRM_DISTRIBUTOR_*` settings, for hosts that schedule it with cron, systemd timers or a Kubernetes
 * CronJob instead of the in-process scheduler. Exit code 0: done; 1: the run failed (or could not
 * start); 2: the run finished but refused some records (kept in the run's errors for replay).
 */
async function main(): Promise<number> {
  const config = hostConfigFromEnv({ ...process.env, CRM_API_TOKENS: process.env.CRM_API_TOKENS || 'unused:sync:none' });
  const distributor = config.crm?.distributor;
  if (!distributor?.url) throw new Error('CRM_DISTRIBUTOR_URL is not set: nothing to sync from');
  // cron '' keeps this one-shot process from scheduling further runs.
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, crm: { ...config.crm, distributor: { ...distributor, cron: '' } } }), {
    logger: ['warn', 'error'],
    abortOnError: false,
  });
  try {
    console.log(`Distributor sync from ${distributor.url} into ${describeDatabase(config.dbUrl)}`);
    const run = await app.get(DistributorSyncService).runNow();
    const counts = `${run.processed} read, ${run.created} created, ${run.updated} updated, ${run.skipped} skipped, ${run.failed} refused`;
    console.log(`Run ${run.id} ${run.status}: ${counts}${run.error ? `: ${run.error}` : ''}`);
    if (run.status !== 'succeeded') return 1;
    // Refused records are kept for replay, but whoever schedules this should hear of them.
    return run.failed > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Distributor sync failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
