import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger } from 'typeorm';
import { CRM_ENTITIES, CRM_MIGRATIONS } from '../../modules';

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
