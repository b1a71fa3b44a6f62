import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../../modules';
import { SEED_SCHEMA_MIGRATION, SEED_VERSION, seedCrm, type SeedSummary } from './bench-seed';

/** Collects the SELECTs a service sends while `capturing`, so the very same statements can be EXPLAINed. */
export class CapturingLogger implements Logger {
  captured: { query: string; parameters: unknown[] }[] = [];
  capturing = false;
  logQuery(query: string, parameters?: unknown[]): void {
    if (this.capturing && /^\s*SELECT/i.test(query)) this.captured.push({ query, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * Runs `work` on a fresh, migrated MariaDB/MySQL database on `CRM_BENCH_MYSQL_URL` (default
 * `mysql://root@127.0.0.1:3306`), dropped afterwards whatever happens.
 */
export async function withBenchDatabase(work: (dataSource: DataSource, logger: CapturingLogger, version: string) => Promise<void>): Promise<void> {
  const server = new URL(process.env.CRM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const name = `crm_bench_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(server.toString());
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
  const logger = new CapturingLogger();
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  const dataSource = new DataSource({
    // TypeORM reads MariaDB's column defaults only with the mariadb driver type.
    type: /mariadb/i.test(version) ? 'mariadb' : 'mysql',
    url: url.toString(),
    charset: 'utf8mb4',
    entities: CRM_ENTITIES,
    migrations: CRM_MIGRATIONS,
    logging: ['query'],
    logger,
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    await work(dataSource, logger, version);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

/** Where `openSeededDatabase` keeps its SQLite files. */
const SQLITE_CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'nest-crm-bench');

/** A seeded bench database: what a host connects with, and what it holds. */
export interface SeededDatabase {
  /** `mysql` or `sqlite`. */
  kind: BenchDatabaseKind;
  /** The `CRM_DB_URL` of the database (`mariadb://…/perfbench_…` or `sqlite:…`). */
  url: string;
  /** A human description: server version and database name or file. */
  description: string;
  summary: SeedSummary;
  /** Whether this run seeded it (else it came from the cache). */
  seeded: boolean;
}

export type BenchDatabaseKind = 'mysql' | 'sqlite';

/**
 * A database holding `leads` seeded leads (see `seedCrm`), migrated to the end, kept between runs: it is named
 * after `leads`, the migrations up to the seeded schema and the seed version, so a run with the same code reuses
 * it in seconds, and a later migration is run on the cached database as on a host's (its backfill included), where
 * a million leads would otherwise be seeded again. MariaDB/MySQL: database `perfbench_<key>` on `CRM_BENCH_MYSQL_URL`
 * (default `mysql://root@127.0.0.1:3306`), seeded under a named lock so concurrent runs seed it once. SQLite: a
 * file under `node_modules/.cache/nest-crm-bench/`. `fresh` drops a cached one first.
 */
export async function openSeededDatabase(kind: BenchDatabaseKind, leads: number, options: { fresh?: boolean; log?: (line: string) => void } = {}): Promise<SeededDatabase> {
  const log = options.log ?? (() => undefined);
  const names = CRM_MIGRATIONS.map((m) => (m as { name: string }).name);
  const baseline = names.indexOf(SEED_SCHEMA_MIGRATION);
  if (baseline < 0) throw new Error(`${SEED_SCHEMA_MIGRATION} is not among CRM_MIGRATIONS`);
  const key = createHash('sha256').update(JSON.stringify({ leads, names: names.slice(0, baseline + 1), seed: SEED_VERSION })).digest('hex').slice(0, 10);
  const name = `perfbench_${leads}_${key}`;
  return kind === 'mysql' ? openMysql(name, leads, baseline, options.fresh ?? false, log) : openSqlite(name, leads, baseline, options.fresh ?? false, log);
}

async function openMysql(name: string, leads: number, baseline: number, fresh: boolean, log: (line: string) => void): Promise<SeededDatabase> {
  const server = new URL(process.env.CRM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
  const admin = await createConnection(server.toString());
  try {
    const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
    const type = /mariadb/i.test(version) ? 'mariadb' : 'mysql';
    const url = new URL(server.toString());
    url.pathname = `/${name}`;
    const hostUrl = `${type}://${url.toString().slice(url.protocol.length + 2)}`;
    const description = `${version}, database ${name}`;
    // One run seeds; a concurrent run with the same key waits for it here (up to 30 minutes), then reuses it.
    await admin.query('SELECT GET_LOCK(?, 1800)', [name]);
    try {
      if (fresh) await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      const [marks] = (await admin.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [name, SEEDED_MARK])) as unknown as [unknown[]];
      if (marks.length) {
        await migrateCached(new DataSource({ type, url: url.toString(), charset: 'utf8mb4', entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS }), log);
        const summary = await readSummary(new DataSource({ type, url: url.toString(), charset: 'utf8mb4' }));
        return { kind: 'mysql', url: hostUrl, description, summary, seeded: false };
      }
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const summary = await seedDatabase((migrations) => new DataSource({ type, url: url.toString(), charset: 'utf8mb4', entities: CRM_ENTITIES, migrations }), leads, baseline, log);
      return { kind: 'mysql', url: hostUrl, description, summary, seeded: true };
    } finally {
      await admin.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await admin.end();
  }
}

async function openSqlite(name: string, leads: number, baseline: number, fresh: boolean, log: (line: string) => void): Promise<SeededDatabase> {
  mkdirSync(SQLITE_CACHE, { recursive: true });
  const file = join(SQLITE_CACHE, `${name}.sqlite`);
  const description = `SQLite (better-sqlite3), ${file}`;
  if (fresh) rmSync(file, { force: true });
  if (existsSync(file)) {
    await migrateCached(new DataSource({ type: 'better-sqlite3', database: file, entities: CRM_ENTITIES, migrations: CRM_MIGRATIONS }), log);
    const summary = await readSummary(new DataSource({ type: 'better-sqlite3', database: file }));
    return { kind: 'sqlite', url: `sqlite:${file}`, description, summary, seeded: false };
  }
  // Seeded under a name of its own and renamed when complete, so an interrupted seed is never reused.
  const building = `${file}.${process.pid}.building`;
  rmSync(building, { force: true });
  const summary = await seedDatabase((migrations) => new DataSource({ type: 'better-sqlite3', database: building, entities: CRM_ENTITIES, migrations }), leads, baseline, log);
  renameSync(building, file);
  return { kind: 'sqlite', url: `sqlite:${file}`, description, summary, seeded: true };
}

/** The table whose presence says a bench database was seeded to the end; it holds the seed summary. */
const SEEDED_MARK = 'perfbench_seeded';

async function seedDatabase(open: (migrations: typeof CRM_MIGRATIONS) => DataSource, leads: number, baseline: number, log: (line: string) => void): Promise<SeedSummary> {
  const started = Date.now();
  log(`Seeding ${leads.toLocaleString('en')} leads (cached for later runs)…`);
  const seeding = await open(CRM_MIGRATIONS.slice(0, baseline + 1)).initialize();
  let summary: SeedSummary;
  try {
    await seeding.runMigrations();
    summary = await seedCrm(seeding, leads, log);
  } finally {
    await seeding.destroy();
  }
  const migrating = await open(CRM_MIGRATIONS).initialize();
  try {
    const t0 = Date.now();
    const ran = await migrating.runMigrations();
    if (ran.length) log(`  then ${ran.length} later migration(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${ran.map((m) => m.name).join(', ')}`);
    await analyze(migrating);
    const e = (s: string) => migrating.driver.escape(s);
    await migrating.query(`CREATE TABLE ${e(SEEDED_MARK)} (${e('summary')} TEXT NOT NULL)`);
    await migrating.query(`INSERT INTO ${e(SEEDED_MARK)} (${e('summary')}) VALUES (?)`, [JSON.stringify(summary)]);
  } finally {
    await migrating.destroy();
  }
  log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return summary;
}

/** Runs the migrations a cached database has not had yet, and refreshes the statistics when any ran. */
async function migrateCached(dataSource: DataSource, log: (line: string) => void): Promise<void> {
  await dataSource.initialize();
  try {
    const t0 = Date.now();
    const ran = await dataSource.runMigrations();
    if (ran.length === 0) return;
    log(`Cached database: ${ran.length} later migration(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${ran.map((m) => m.name).join(', ')}`);
    await analyze(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function analyze(dataSource: DataSource): Promise<void> {
  if (dataSource.driver.options.type === 'better-sqlite3') {
    await dataSource.query('ANALYZE');
    return;
  }
  for (const table of ['crm_lead', 'crm_company', 'crm_contact', 'crm_customer', 'crm_opportunity', 'crm_lead_search_token']) await dataSource.query(`ANALYZE TABLE ${table}`);
}

async function readSummary(dataSource: DataSource): Promise<SeedSummary> {
  await dataSource.initialize();
  try {
    const [{ summary }] = await dataSource.query(`SELECT ${dataSource.driver.escape('summary')} AS summary FROM ${dataSource.driver.escape(SEEDED_MARK)}`);
    return JSON.parse(summary) as SeedSummary;
  } finally {
    await dataSource.destroy();
  }
}
