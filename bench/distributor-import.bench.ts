import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createConnection, type Connection, type ResultSetHeader } from 'mysql2/promise';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { DEFAULT_DISTRIBUTOR_MODELS, DistributorSyncService } from '../modules';
import { AppModule } from '../src/app.module';
import { databaseOptions } from '../src/database/database-options';
import { FAKE_ODOO, FakeOdooRecord, OdooFake } from '../test/fakes/odoo-fake';

/**
 * `npm run bench:import`: pushes BENCH_RECORDS (default 100,000) distributor records, every tenth a
 * repeat of the person before (same email, phone and company), from the Odoo fake through the full
 * sync and intake pipeline into a fresh MariaDB database, then inserts the same number of leads,
 * contacts and companies with plain multi-row INSERTs into the same tables, and compares the rates.
 * BENCH_PROFILE=1 also counts the SQL statements the pipeline issued, by kind.
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SERVER = process.env.CRM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const PROFILE = process.env.BENCH_PROFILE === '1';

class QueryCounter implements Partial<TypeOrmLogger> {
  readonly counts = new Map<string, number>();
  /** Milliseconds spent in statements slower than 1 ms, by kind. */
  readonly slow = new Map<string, number>();
  logQuery(query: string): void {
    const kind = this.kind(query);
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }
  logQuerySlow(time: number, query: string): void {
    const kind = this.kind(query);
    this.slow.set(kind, (this.slow.get(kind) ?? 0) + time);
  }
  private kind(query: string): string {
    return query.replace(/\s+/g, ' ').replace(/`/g, '').slice(0, 70);
  }
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function main(): Promise<void> {
  const name = `crm_bench_${Date.now()}`;
  const admin = await createConnection(SERVER);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = `${SERVER.replace(/\/$/, '')}/${name}`;
  const fakeOptions = { recordsPerModel: RECORDS / 2, tiesPerSecond: 7, duplicateEvery: 10 };
  // The records the fake serves, for the plain inserts; the importer reads them from a fake in a process of its own.
  const fake = await OdooFake.start(fakeOptions);
  const remote = await startFakeProcess(fakeOptions);
  const counter = new QueryCounter();
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        database: { ...databaseOptions(url), ...(PROFILE ? { logging: ['query'] as const, logger: counter as TypeOrmLogger, maxQueryExecutionTime: 1 } : {}) },
        migrate: true,
        tokens: [],
        crm: {
          distributor: {
            url: remote.url,
            database: FAKE_ODOO.database,
            login: FAKE_ODOO.login,
            password: FAKE_ODOO.password,
            batchSize: BATCH,
            cron: '',
            models: DEFAULT_DISTRIBUTOR_MODELS.map((m) => ({ ...m, fields: { ...m.fields, website: 'website', vat: 'tin' } })),
          },
        },
      }),
      { logger: ['warn', 'error'] },
    );
    const db = await createConnection(url);
    try {
      await configureSources(db);
      const [before] = await tableCounts(db);
      const started = performance.now();
      const run = await app.get(DistributorSyncService).runNow();
      const pipelineSeconds = (performance.now() - started) / 1000;
      const [after] = await tableCounts(db);
      if (run.status !== 'succeeded') throw new Error(`The sync failed: ${run.error}`);
      const made = { leads: after.leads - before.leads, contacts: after.contacts - before.contacts, companies: after.companies - before.companies };
      console.log(`pipeline: ${run.processed} records (${run.created} created, ${run.updated} updated, ${run.skipped} skipped, ${run.failed} refused)`);
      console.log(`          wrote ${made.leads} leads, ${made.contacts} contacts, ${made.companies} companies in ${pipelineSeconds.toFixed(1)} s`);
      await app.close();

      const plainSeconds = await plainInserts(db, fake, made);
      const [plain] = await tableCounts(db);
      const plainMade = { leads: plain.leads - after.leads, contacts: plain.contacts - after.contacts, companies: plain.companies - after.companies };
      if (JSON.stringify(plainMade) !== JSON.stringify(made)) throw new Error(`The plain inserts wrote ${JSON.stringify(plainMade)}, not ${JSON.stringify(made)}`);
      const pipelineRate = run.processed / pipelineSeconds;
      const plainRate = run.processed / plainSeconds;
      console.log(`plain multi-row INSERTs: the same rows in ${plainSeconds.toFixed(1)} s`);
      console.log(`pipeline ${pipelineRate.toFixed(0)} records/s, plain ${plainRate.toFixed(0)} records/s, ratio ${(pipelineRate / plainRate).toFixed(3)} (target ≥ 0.5)`);
      if (PROFILE) {
        const top = [...counter.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
        const total = [...counter.counts.values()].reduce((a, b) => a + b, 0);
        console.log(`SQL statements: ${total} (${(total / run.processed).toFixed(1)} per record)`);
        for (const [kind, count] of top) console.log(`${String(count).padStart(8)}  ${kind}`);
        console.log('Time in statements slower than 1 ms, by kind:');
        for (const [kind, ms] of [...counter.slow.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(ms / 1000).toFixed(1).padStart(8)} s  ${kind}`);
      }
    } finally {
      await db.end();
    }
  } finally {
    await fake.close();
    remote.child.disconnect();
    if (process.env.BENCH_KEEP_DB !== '1') await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

/** The Odoo fake in a child process (bench/support/odoo-fake-process.ts), with its URL. */
async function startFakeProcess(options: object): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(join(__dirname, 'support/odoo-fake-process.ts'), [JSON.stringify(options)], {
    execArgv: ['-r', join(__dirname, '../test/fakes/swc-register.js')],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: line.trim(), child };
}

/** What a deployment configures once: a default sales direction on the protected sources. */
async function configureSources(db: Connection): Promise<void> {
  const [entry] = await db.query<ResultSetHeader>("INSERT INTO crm_list_entry (kind, name, active, sequence) VALUES ('sales_direction', 'Passenger cars', 1, 10)");
  await db.query("UPDATE crm_source SET defaultSalesDirectionId = ? WHERE code IN ('source_web_quotation', 'source_web_test_drive')", [entry.insertId]);
}

async function tableCounts(db: Connection): Promise<Array<{ leads: number; contacts: number; companies: number }>> {
  const [rows] = await db.query(
    'SELECT (SELECT COUNT(*) FROM crm_lead) AS leads, (SELECT COUNT(*) FROM crm_contact) AS contacts, (SELECT COUNT(*) FROM crm_company) AS companies',
  );
  return (rows as Array<Record<string, unknown>>).map((r) => ({ leads: Number(r.leads), contacts: Number(r.contacts), companies: Number(r.companies) }));
}

/**
 * The same rows the pipeline wrote, straight in: one transaction and three multi-row INSERTs per
 * page (companies, their contacts, their leads), with keys made distinct from the pipeline's rows.
 */
async function plainInserts(db: Connection, fake: OdooFake, made: { leads: number; contacts: number; companies: number }): Promise<number> {
  const records: Array<FakeOdooRecord & { model: string }> = [];
  for (const [model, rows] of fake.models) records.push(...rows.map((r) => ({ ...r, model })));
  const [[{ sourceId, salesDirectionId }]] = (await db.query(
    "SELECT id AS sourceId, defaultSalesDirectionId AS salesDirectionId FROM crm_source WHERE code = 'source_web_quotation'",
  )) as unknown as [[{ sourceId: number; salesDirectionId: number }]];
  const started = performance.now();
  for (let offset = 0, n = 0; offset < made.leads; offset += BATCH, n++) {
    const page = records.slice(offset, Math.min(offset + BATCH, made.leads));
    await db.beginTransaction();
    const companies = page.filter((_, i) => offset + i < made.companies);
    let firstCompanyId = 0;
    if (companies.length) {
      const [result] = await db.query<ResultSetHeader>('INSERT INTO crm_company (name, nameKey, website, websiteDomain, tin, isPartner, city, version) VALUES ?', [
        companies.map((r, i) => {
          const key = `plain ${n}-${i} ${String(r.partner_name)}`;
          return [key, key.toLowerCase(), `https://plain-${n}-${i}.example`, `plain-${n}-${i}.example`, `9${String(offset + i).padStart(11, '0')}`, 0, r.city || null, 1];
        }),
      ]);
      firstCompanyId = result.insertId;
    }
    const contacts = page.filter((_, i) => offset + i < made.contacts);
    let firstContactId = 0;
    if (contacts.length) {
      const [contactResult] = await db.query<ResultSetHeader>(
        'INSERT INTO crm_contact (companyId, firstName, lastName, phone, phoneKey, email, emailKey, doNotContact, version) VALUES ?',
        [
          contacts.map((r, i) => {
            const [first, ...last] = String(r.contact_name).split(' ');
            const email = `plain.${String(r.email_from)}`;
            return [i < companies.length ? firstCompanyId + i : null, first, last.join(' '), r.phone, String(r.phone).replace(/\D/g, ''), email, email.toLowerCase(), 0, 1];
          }),
        ],
      );
      firstContactId = contactResult.insertId;
    }
    await db.query(
      'INSERT INTO crm_lead (name, sourceId, leadCompanyName, companyId, contactId, salesDirectionId, customerRequirements, city, channel, budgetIsSet, status, externalSource, externalId, createdById, version) VALUES ?',
      [
        page.map((r, i) => [
          r.name,
          sourceId,
          r.partner_name || null,
          i < companies.length ? firstCompanyId + i : null,
          i < contacts.length ? firstContactId + i : null,
          salesDirectionId,
          Array.isArray(r.vehicle_model) ? r.vehicle_model[1] : null,
          r.city || null,
          'quotation',
          0,
          'new',
          `plain:${r.model}`,
          String(r.id),
          'bench',
          1,
        ]),
      ],
    );
    await db.commit();
  }
  return (performance.now() - started) / 1000;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
