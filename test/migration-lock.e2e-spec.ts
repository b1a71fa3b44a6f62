import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS, initializeWithLockedMigrations } from '../modules';
import { createApp } from '../src/bootstrap';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './harness/test-database';

const ROOT = resolve(__dirname, '..');

/** `npm run migration:run` (src/migrate.ts) in a child process; its exit code and what it printed. */
function migrateInChild(url: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['-r', './test/fakes/swc-register.js', 'src/migrate.ts'], { cwd: ROOT, env: { ...process.env, CRM_DB_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((done) => child.on('exit', (code) => done({ code, output })));
}

/**
 * Instances started at the same moment on an empty database. TypeORM's `migrationsRun` takes no
 * lock, so on MariaDB both read "nothing executed yet", both created the first tables, and the
 * second failed (`Table … already exists`) and came up only through TypeORM's connection retry.
 * Under the migration lock the first migrates and the others wait, then find nothing pending.
 */
describe('Migrations of instances started together (e2e)', () => {
  let database: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-migrate-'));
    database = testDatabaseKind() === 'sqlite'
      ? { options: { type: 'better-sqlite3', database: join(dir, 'crm.sqlite'), enableWAL: true, entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS }, drop: async () => undefined }
      : await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const urlOf = (options: DataSourceOptions) => (options.type === 'better-sqlite3' ? `sqlite:${options.database}` : String((options as { url: string }).url));

  it('two DataSources initialized at once migrate once: one applies every migration, the other none', async () => {
    const options = { ...database.options, migrationsRun: true } as DataSourceOptions;
    const both = await Promise.allSettled([initializeWithLockedMigrations(options), initializeWithLockedMigrations(options)]);
    const sources = both.map((result) => (result.status === 'fulfilled' ? result.value : result.reason));
    try {
      expect(both.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
      const [first] = sources as DataSource[];
      const executed: { name: string }[] = await first.query('SELECT name FROM migrations ORDER BY id');
      expect(executed.map((m) => m.name)).toEqual(CRM_MIGRATIONS.map((m) => m.name));
      for (const source of sources as DataSource[]) await expect(source.showMigrations()).resolves.toBe(false);
    } finally {
      for (const source of sources) if (source && typeof source.destroy === 'function') await source.destroy();
    }
  });

  it('two demo hosts started at once both come up without a retry and serve', async () => {
    // No TypeORM connection retry: a failed migration would fail the start.
    const options = { ...database.options, retryAttempts: 0 } as unknown as DataSourceOptions;
    const tokens = [{ token: 'manager-token', user: { id: 'manager', roles: ['crm_manager'] } }];
    const started = await Promise.allSettled([0, 1].map(async () => {
      const app = await createApp({ database: options, migrate: true, tokens }, false);
      await app.init();
      return app;
    }));
    const apps = started.filter((s): s is PromiseFulfilledResult<INestApplication> => s.status === 'fulfilled').map((s) => s.value);
    try {
      expect(started.map((s) => (s.status === 'fulfilled' ? 'up' : String(s.reason)))).toEqual(['up', 'up']);
      for (const app of apps) {
        const res = await request(app.getHttpServer()).get('/crm/sources').set('Authorization', 'Bearer manager-token');
        expect([res.status, res.body]).toEqual([200, expect.anything()]);
      }
    } finally {
      for (const app of apps) await app.close();
    }
  });

  it('two `npm run migration:run` processes at once both succeed; one applied the migrations, the other found nothing to migrate', async () => {
    const url = urlOf(database.options);
    const runs = await Promise.all([migrateInChild(url), migrateInChild(url)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const said = runs.map((r) => r.output).sort((a, b) => a.length - b.length);
    expect(said[0]).toMatch(/nothing to migrate/);
    expect(said[1]).toContain(CRM_MIGRATIONS[0].name);
  });
});
