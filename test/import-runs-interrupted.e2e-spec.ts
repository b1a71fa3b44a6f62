import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseNow } from '../modules/core/database/database-clock';
import { RunHeartbeat } from '../modules/imports/runs/run-heartbeat.service';
import { createApp } from '../src/bootstrap';
import { exitOf, prepareDatabase, sharedDatabase, startSync, type SharedDatabase } from './distributor/child-sync';
import { OdooFake } from './fakes/odoo-fake';
import { TestApp } from './harness/test-app';
import { testDatabaseKind } from './harness/test-database';

describe('Import runs left behind by a process that died (e2e)', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await TestApp.start();
    dir = mkdtempSync(join(tmpdir(), 'crm-runs-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A run row as an instance `holder` left it, last heartbeated `ageSeconds` ago on the database's clock. */
  async function leftBehind(kind: 'csv' | 'distributor', status: 'queued' | 'running', holder: string | null, ageSeconds: number | null, tempFile: string | null = null): Promise<number> {
    const heartbeat = ageSeconds === null ? 'NULL' : databaseNow(t.dataSource, -ageSeconds);
    await t.query(
      `INSERT INTO crm_import_run (kind, status, dryRun, processed, created, updated, skipped, failed, createdById, holder, heartbeatAt, tempFile)
       VALUES (?, ?, ?, 40, 40, 0, 0, 0, 'manager', ?, ${heartbeat}, ?)`,
      [kind, status, false, holder, tempFile],
    );
    const [{ id }] = await t.query('SELECT MAX(id) AS id FROM crm_import_run');
    return Number(id);
  }

  const runOf = async (id: number) => (await t.as('manager').get(`/crm/imports/runs/${id}`).expect(200)).body;

  /** What an instance starting now does: its first sweep (a second instance on MariaDB; SQLite in memory has one). */
  async function startAnotherInstance(): Promise<INestApplication | null> {
    if (testDatabaseKind() === 'sqlite') {
      await t.app.get(RunHeartbeat).tick();
      return null;
    }
    const other = await createApp({ database: t.dataSource.options, migrate: true, tokens: [] }, false);
    await other.init();
    return other;
  }

  it('marks interrupted the runs nobody heartbeats, removes a CSV run\'s upload, and leaves a live instance\'s runs alone', async () => {
    const upload = join(dir, 'crm-import-dead.csv');
    writeFileSync(upload, 'name\nx\n');
    const deadCsv = await leftBehind('csv', 'running', 'dead-host:4242:aaaa', 3600, upload);
    const deadQueued = await leftBehind('csv', 'queued', 'dead-host:4242:aaaa', 3600);
    const legacy = await leftBehind('distributor', 'running', null, null);
    const live = await leftBehind('csv', 'running', 'live-host:77:bbbb', 0);
    const other = await startAnotherInstance();
    try {
      await expect(runOf(deadCsv)).resolves.toMatchObject({ status: 'interrupted', processed: 40, created: 40, error: expect.stringMatching(/process running it stopped.*Upload the file again/) });
      expect(existsSync(upload)).toBe(false);
      await expect(runOf(deadQueued)).resolves.toMatchObject({ status: 'interrupted' });
      await expect(runOf(legacy)).resolves.toMatchObject({ status: 'interrupted', error: expect.stringMatching(/resumes from the cursor/) });
      // Another instance's run that still beats is not this instance's to judge.
      await expect(runOf(live)).resolves.toMatchObject({ status: 'running', error: null });
      // Once it stops beating, it is.
      await t.query(`UPDATE crm_import_run SET heartbeatAt = ${databaseNow(t.dataSource, -3600)} WHERE id = ?`, [live]);
      await t.app.get(RunHeartbeat).tick();
      await expect(runOf(live)).resolves.toMatchObject({ status: 'interrupted' });
      const listed = await t.as('manager').get('/crm/imports/runs?kind=csv').expect(200);
      expect(listed.body.items.find((r: { id: number }) => r.id === deadCsv)).toMatchObject({ status: 'interrupted' });
    } finally {
      await other?.close();
    }
  });

  it('never interrupts its own runs while they go on', async () => {
    const heartbeat = t.app.get(RunHeartbeat);
    const id = await leftBehind('csv', 'running', null, null);
    await heartbeat.hold(id);
    // Its heartbeat is made old, as after a long synchronous stretch: still this instance's.
    await t.query(`UPDATE crm_import_run SET heartbeatAt = ${databaseNow(t.dataSource, -3600)} WHERE id = ?`, [id]);
    await heartbeat.tick();
    await expect(runOf(id)).resolves.toMatchObject({ status: 'running' });
    heartbeat.release(id);
  });
});

describe('A sync killed in the middle (a child process killed with SIGKILL)', () => {
  const perModel = 1200;
  let fake: OdooFake;
  let dir: string;
  let database: SharedDatabase;

  beforeAll(async () => {
    fake = await OdooFake.start({ recordsPerModel: perModel, tiesPerSecond: 5 });
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-crash-'));
    database = await sharedDatabase(dir);
    await prepareDatabase(database.url);
  });
  afterAll(async () => {
    await fake?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the killed run interrupted, and leaves exactly one lead per remote record after the next run', async () => {
    const env = { CRM_DISTRIBUTOR_BATCH_SIZE: '40', CRM_DISTRIBUTOR_LEASE_SECONDS: '2' };
    const child = startSync(fake, database, env);
    try {
      let atKill: { total: number; distinct: number } | null = null;
      while (!atKill || atKill.total < 200) {
        atKill = await database.count();
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
    }
    await exitOf(child);
    const afterKill = await database.count();
    expect(afterKill!.total).toBeLessThan(2 * perModel);
    const [killed] = (await database.query('SELECT id, status FROM crm_import_run ORDER BY id DESC LIMIT 1'))!;
    expect(killed.status).toBe('running');

    while (!(await database.leaseFree())) await new Promise((r) => setTimeout(r, 200));
    const next = startSync(fake, database, env);
    const code = await exitOf(next);
    expect({ code, output: next.output() }).toMatchObject({ code: 0 });
    await expect(database.count()).resolves.toEqual({ total: 2 * perModel, distinct: 2 * perModel });
    expect(next.output()).toMatch(new RegExp(`${2 * perModel - afterKill!.total} created`));
    const [after] = (await database.query(`SELECT status, error FROM crm_import_run WHERE id = ${Number(killed.id)}`))!;
    expect(after).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/stopped renewing the sync lease.*resumes from the cursor/) });
  }, 180_000);
});
