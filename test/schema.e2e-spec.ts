import { CRM_MIGRATIONS } from '../modules';
import { TestApp } from './harness/test-app';

describe('Migrations and entities (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('leave nothing for the schema builder to change once every migration has run', async () => {
    const executed = await t.dataSource.query('SELECT name FROM migrations');
    expect(executed).toHaveLength(CRM_MIGRATIONS.length);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('run down and up again cleanly', async () => {
    for (let i = 0; i < CRM_MIGRATIONS.length; i++) await t.dataSource.undoLastMigration();
    await expect(t.dataSource.query('SELECT name FROM migrations')).resolves.toEqual([]);
    await expect(t.dataSource.runMigrations()).resolves.toHaveLength(CRM_MIGRATIONS.length);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
