import { CRM_MIGRATIONS } from '../modules';
import { INTAKE_LOCK_SLOTS } from '../modules/imports/intake/intake-lock-slot.entity';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

describe('Migrations and entities (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leave nothing for the schema builder to change once every migration has run', async () => {
    const executed = await t.query('SELECT name FROM migrations');
    expect(executed).toHaveLength(CRM_MIGRATIONS.length);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('create every intake lock slot the locks hash onto (a missing row would lock nothing)', async () => {
    const [{ slots, lowest, highest }] = await t.query('SELECT COUNT(*) AS slots, MIN(slot) AS lowest, MAX(slot) AS highest FROM crm_intake_lock_slot');
    expect([Number(slots), Number(lowest), Number(highest)]).toEqual([INTAKE_LOCK_SLOTS, 0, INTAKE_LOCK_SLOTS - 1]);
  });

  (testDatabaseKind() === 'postgres' ? it : it.skip)('give the lists\' "contains" searches an index on PostgreSQL (pg_trgm), whatever the case', async () => {
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // A few rows make a scan cheapest; with scans priced out, the plan shows whether an index can serve the search at all.
      await runner.query('SET LOCAL enable_seqscan = off');
      const plan = async (sql: string) => ((await runner.query(`EXPLAIN ${sql}`, ['%acme!_%'])) as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
      await expect(plan(`SELECT id FROM crm_customer WHERE LOWER(name) LIKE $1 ESCAPE '!'`)).resolves.toMatch(/IDX_crm_customer_name_trgm/);
      await expect(plan(`SELECT id FROM crm_company WHERE "nameKey" LIKE $1 ESCAPE '!' OR "websiteDomain" LIKE $1 ESCAPE '!'`)).resolves.toMatch(/IDX_crm_company_name_key_trgm[\s\S]*IDX_crm_company_website_domain_trgm/);
      await expect(plan(`SELECT id FROM crm_contact WHERE LOWER("lastName") LIKE $1 ESCAPE '!'`)).resolves.toMatch(/IDX_crm_contact_last_name_trgm/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('run down and up again cleanly', async () => {
    for (let i = 0; i < CRM_MIGRATIONS.length; i++) await t.dataSource.undoLastMigration();
    await expect(t.query('SELECT name FROM migrations')).resolves.toEqual([]);
    await expect(t.dataSource.runMigrations()).resolves.toHaveLength(CRM_MIGRATIONS.length);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
