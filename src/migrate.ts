import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { runMigrationsLocked } from '../modules';
import { describeDatabase } from './database/database-options';
import { hostConfigFromEnv } from './host-config';

/** `npm run migration:run`: applies pending CRM migrations to `CRM_DB_URL` and says which. */
async function main(): Promise<void> {
  const config = hostConfigFromEnv({ ...process.env, CRM_API_TOKENS: process.env.CRM_API_TOKENS || 'unused:migrate:none' });
  const dataSource = await new DataSource(config.database).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource, { transaction: 'each' });
    console.log(`${describeDatabase(config.dbUrl)}: ${applied.length ? applied.map((m) => m.name).join(', ') : 'nothing to migrate'}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
