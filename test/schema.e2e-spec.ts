import { CRM_MIGRATIONS } from '../modules';
import { INTAKE_LOCK_SLOTS } from '../modules/imports/intake/intake-lock-slot.entity';
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

  it('create every intake lock slot the locks hash onto (a missing row would lock nothing)', async () => {
    const [{ slots, lowest, highest }] = await t.dataSource.query('SELECT COUNT(*) AS slots, MIN(slot) AS lowest, MAX(slot) AS highest FROM crm_intake_lock_slot');
    expect([Number(slots), Number(lowest), Number(highest)]).toEqual([INTAKE_LOCK_SLOTS, 0, INTAKE_LOCK_SLOTS - 1]);
  });

  it('run down and up again cleanly', async () => {
    for (let i = 0; i < CRM_MIGRATIONS.length; i++) await t.dataSource.undoLastMigration();
    await expect(t.dataSource.query('SELECT name FROM migrations')).resolves.toEqual([]);
    await expect(t.dataSource.runMigrations()).resolves.toHaveLength(CRM_MIGRATIONS.length);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
