import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { DEFAULT_DISTRIBUTOR_MODELS, DistributorSyncService } from '../modules';
import { AppModule } from '../src/app.module';
import { databaseOptions } from '../src/database/database-options';
import { FAKE_ODOO, FakeOdooRecord, OdooFake } from '../test/fakes/odoo-fake';
import { freshPlainDatabase, type PlainDatabase, type Row } from './support/plain-database';

/**
 * `npm run bench:import`: pushes BENCH_RECORDS (default 100,000) distributor records, every tenth a
 * repeat of the person before (same email, phone and company), from the Odoo fake through the full
 * sync and intake pipeline into a fresh database (MariaDB/MySQL on CRM_BENCH_MYSQL_URL, or PostgreSQL when
 * CRM_BENCH_POSTGRES_URL is set: see support/plain-database.ts), then inserts the same number of leads,
 * contacts and companies with plain multi-row INSERTs into the same tables, and compares the rates.
 * It also prints a floor: the pipeline's own rows, audit entries included, written back the plain way
 * (run before the plain inserts, on the smaller tables, so if anything its ratio comes out too high).
 * BENCH_PROFILE=1 also counts the SQL statements the pipeline issued, by kind; BENCH_CPU_PROFILE=<file>
 * writes a CPU profile of the pipeline's run alone (open it in Chrome's DevTools).
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const PROFILE = process.env.BENCH_PROFILE === '1';
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE;

/**
 * Lighter audit designs the floor can be measured for (BENCH_FLOOR_AUDIT, comma-separated): each
 * drops or trims the pipeline's audit entries before they are written back.
 */
const FLOOR_AUDIT: Record<string, (row: Row) => Row | null> = {
  /** Every entry the pipeline wrote: `create` for each lead, contact and company, `intake` for each lead. */
  all: (row) => row,
  /** A lead's `intake` entry folded into its `create` entry. */
  'no-intake': (row) => (row.action === 'intake' ? null : row),
  /** `create` entries without the record's field values (who and when only, as Salesforce's "Created."). */
  'no-create-values': (row) => (row.action === 'create' ? { ...row, changes: '[]' } : row),
  /** No entry for the contacts and companies the records create. */
  'leads-only': (row) => (row.entityType === 'lead' ? row : null),
  /** No audit log at all. */
  none: () => null,
};
const FLOOR_AUDIT_MODES = (process.env.BENCH_FLOOR_AUDIT ?? 'all').split(',');
for (const mode of FLOOR_AUDIT_MODES) if (!(mode in FLOOR_AUDIT)) throw new Error(`BENCH_FLOOR_AUDIT takes ${Object.keys(FLOOR_AUDIT).join(', ')}`);

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
    return query.replace(/\s+/g, ' ').replace(/[`"]/g, '').slice(0, 70);
  }
  logQueryError(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

async function main(): Promise<void> {
  const db = await freshPlainDatabase(String(Date.now()));
  console.log(`${db.version}, ${RECORDS} records in pages of ${BATCH}`);
  const fakeOptions = { recordsPerModel: RECORDS / 2, tiesPerSecond: 7, duplicateEvery: 10 };
  // The records the fake serves, for the plain inserts; the importer reads them from a fake in a process of its own.
  const fake = await OdooFake.start(fakeOptions);
  const remote = await startFakeProcess(fakeOptions);
  const counter = new QueryCounter();
  try {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        database: { ...databaseOptions(db.url), ...(PROFILE ? { logging: ['query'] as const, logger: counter as TypeOrmLogger, maxQueryExecutionTime: 1 } : {}) },
        migrate: true,
        tokens: [],
        crm: {
          distributor: {
            url: remote.url,
            database: FAKE_ODOO.database,
            apiKey: FAKE_ODOO.apiKey,
            batchSize: BATCH,
            cron: '',
            models: DEFAULT_DISTRIBUTOR_MODELS.map((m) => ({ ...m, fields: { ...m.fields, website: 'website', vat: 'tin' } })),
          },
        },
      }),
      { logger: ['warn', 'error'] },
    );
    await configureSources(db);
    const [before] = await tableCounts(db);
    const profiler = CPU_PROFILE ? await startProfiler() : null;
    const started = performance.now();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const run = await app.get(DistributorSyncService).runNow();
    const pipelineSeconds = (performance.now() - started) / 1000;
    const busy = performance.eventLoopUtilization(elu).utilization;
    const { user, system } = process.cpuUsage(cpu);
    if (profiler) await stopProfiler(profiler, CPU_PROFILE!);
    // CPU time, unlike the rates, barely moves with what else the machine runs: it compares JavaScript costs across runs.
    console.log(`event loop busy ${(busy * 100).toFixed(0)}% of the pipeline's time; Node used ${(user / 1e6).toFixed(1)} s user + ${(system / 1e6).toFixed(1)} s system CPU (${((user + system) / run.processed).toFixed(0)} µs a record)`);
    const [after] = await tableCounts(db);
    if (run.status !== 'succeeded') throw new Error(`The sync failed: ${run.error}`);
    const made = { leads: after.leads - before.leads, contacts: after.contacts - before.contacts, companies: after.companies - before.companies };
    console.log(`pipeline: ${run.processed} records (${run.created} created, ${run.updated} updated, ${run.skipped} skipped, ${run.failed} refused)`);
    console.log(`          wrote ${made.leads} leads, ${made.contacts} contacts, ${made.companies} companies in ${pipelineSeconds.toFixed(1)} s`);
    await app.close();

    // Before the plain inserts, so the floor's tables are the smaller ones.
    const floor = await rewritePipelineRows(db, made);
    const [afterFloor] = await tableCounts(db);
    const plainSeconds = await plainInserts(db, fake, made);
    const [plain] = await tableCounts(db);
    const plainMade = { leads: plain.leads - afterFloor.leads, contacts: plain.contacts - afterFloor.contacts, companies: plain.companies - afterFloor.companies };
    if (JSON.stringify(plainMade) !== JSON.stringify(made)) throw new Error(`The plain inserts wrote ${JSON.stringify(plainMade)}, not ${JSON.stringify(made)}`);
    const pipelineRate = run.processed / pipelineSeconds;
    const plainRate = run.processed / plainSeconds;
    console.log(`plain multi-row INSERTs: the same rows in ${plainSeconds.toFixed(1)} s`);
    console.log(`pipeline ${pipelineRate.toFixed(0)} records/s, plain ${plainRate.toFixed(0)} records/s, ratio ${(pipelineRate / plainRate).toFixed(3)} (target ≥ 0.5)`);
    const floorRate = run.processed / floor.seconds;
    console.log(
      `floor: the pipeline's own rows (its leads, contacts, companies, search tokens and audit entries: ${FLOOR_AUDIT_MODES.join(', ')}) written back the plain way in ${floor.seconds.toFixed(1)} s = ${floorRate.toFixed(0)} records/s, ratio ${(floorRate / plainRate).toFixed(3)}`,
    );
    const withoutTokens = run.processed / (floor.seconds - floor.tokenSeconds);
    console.log(
      `       of which the ${floor.tokens} search tokens (${(floor.tokens / made.leads).toFixed(1)} a lead) took ${floor.tokenSeconds.toFixed(1)} s; without them the floor would be ${withoutTokens.toFixed(0)} records/s, ratio ${(withoutTokens / plainRate).toFixed(3)}`,
    );
    if (PROFILE) {
      const top = [...counter.counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
      const total = [...counter.counts.values()].reduce((a, b) => a + b, 0);
      console.log(`SQL statements: ${total} (${(total / run.processed).toFixed(1)} per record)`);
      for (const [kind, count] of top) console.log(`${String(count).padStart(8)}  ${kind}`);
      console.log('Time in statements slower than 1 ms, by kind:');
      for (const [kind, ms] of [...counter.slow.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${(ms / 1000).toFixed(1).padStart(8)} s  ${kind}`);
    }
  } finally {
    await fake.close();
    remote.child.disconnect();
    await db.dropAndClose();
  }
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  await writeFile(file, JSON.stringify(profile));
  session.disconnect();
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
async function configureSources(db: PlainDatabase): Promise<void> {
  const [entryId] = await db.insert('crm_list_entry', ['kind', 'name', 'active', 'sequence'], [['sales_direction', 'Passenger cars', true, 10]]);
  await db.query("UPDATE `crm_source` SET `defaultSalesDirectionId` = ? WHERE `code` IN ('source_web_quotation', 'source_web_test_drive')", [entryId]);
  // Behind the API's back: the instances' cached catalogue learns of it by its version.
  await db.query("UPDATE `crm_catalog_version` SET `version` = `version` + 1 WHERE `catalog` = 'sources'");
}

async function tableCounts(db: PlainDatabase): Promise<Array<{ leads: number; contacts: number; companies: number }>> {
  const rows = await db.query(
    'SELECT (SELECT COUNT(*) FROM `crm_lead`) AS `leads`, (SELECT COUNT(*) FROM `crm_contact`) AS `contacts`, (SELECT COUNT(*) FROM `crm_company`) AS `companies`',
  );
  return rows.map((r) => ({ leads: Number(r.leads), contacts: Number(r.contacts), companies: Number(r.companies) }));
}

/**
 * The same rows the pipeline wrote, straight in: one transaction and three multi-row INSERTs per
 * page (companies, their contacts, their leads), with keys made distinct from the pipeline's rows.
 */
async function plainInserts(db: PlainDatabase, fake: OdooFake, made: { leads: number; contacts: number; companies: number }): Promise<number> {
  const records: Array<FakeOdooRecord & { model: string }> = [];
  for (const [model, rows] of fake.models) records.push(...rows.map((r) => ({ ...r, model })));
  const [{ sourceId, salesDirectionId }] = await db.query<{ sourceId: number; salesDirectionId: number }>(
    "SELECT `id` AS `sourceId`, `defaultSalesDirectionId` AS `salesDirectionId` FROM `crm_source` WHERE `code` = 'source_web_quotation'",
  );
  const started = performance.now();
  for (let offset = 0, n = 0; offset < made.leads; offset += BATCH, n++) {
    const page = records.slice(offset, Math.min(offset + BATCH, made.leads));
    await db.begin();
    const companies = page.filter((_, i) => offset + i < made.companies);
    const companyIds = companies.length
      ? await db.insert(
          'crm_company',
          ['name', 'nameKey', 'website', 'websiteDomain', 'tin', 'isPartner', 'city', 'version'],
          companies.map((r, i) => {
            const key = `plain ${n}-${i} ${String(r.partner_name)}`;
            return [key, key.toLowerCase(), `https://plain-${n}-${i}.example`, `plain-${n}-${i}.example`, `9${String(offset + i).padStart(11, '0')}`, false, r.city || null, 1];
          }),
        )
      : [];
    const contacts = page.filter((_, i) => offset + i < made.contacts);
    const contactIds = contacts.length
      ? await db.insert(
          'crm_contact',
          ['companyId', 'firstName', 'lastName', 'phone', 'phoneKey', 'email', 'emailKey', 'doNotContact', 'version'],
          contacts.map((r, i) => {
            const [first, ...last] = String(r.contact_name).split(' ');
            const email = `plain.${String(r.email_from)}`;
            return [companyIds[i] ?? null, first, last.join(' '), r.phone, String(r.phone).replace(/\D/g, ''), email, email.toLowerCase(), false, 1];
          }),
        )
      : [];
    await db.insert(
      'crm_lead',
      ['name', 'sourceId', 'leadCompanyName', 'companyId', 'contactId', 'salesDirectionId', 'customerRequirements', 'city', 'channel', 'budgetIsSet', 'status', 'externalSource', 'externalId', 'createdById', 'version'],
      page.map((r, i) => [
        r.name,
        sourceId,
        r.partner_name || null,
        companyIds[i] ?? null,
        contactIds[i] ?? null,
        salesDirectionId,
        Array.isArray(r.vehicle_model) ? r.vehicle_model[1] : null,
        r.city || null,
        'quotation',
        false,
        'new',
        `plain:${r.model}`,
        String(r.id),
        'bench',
        1,
      ]),
    );
    await db.commit();
  }
  return (performance.now() - started) / 1000;
}

/**
 * The fastest any pipeline could write what this one must: the rows the pipeline wrote (its leads,
 * contacts, companies, their search tokens and audit entries), read back untimed and written again with
 * plain multi-row INSERTs, a transaction per page of BATCH records as the sync commits them, unique keys
 * made distinct; each lead's tokens follow it under its new id, 500 rows a statement as the index writes
 * them. No read, no rule, no line of the pipeline's JavaScript: its ratio to the plain rate bounds the
 * pipeline's. The time the tokens took is answered too.
 */
async function rewritePipelineRows(db: PlainDatabase, made: { leads: number; contacts: number; companies: number }): Promise<{ seconds: number; tokens: number; tokenSeconds: number }> {
  const [ids] = await db.query<{ lead: number; contact: number; company: number }>(
    'SELECT (SELECT MIN(`id`) FROM `crm_lead`) AS `lead`, (SELECT MIN(`id`) FROM `crm_contact`) AS `contact`, (SELECT MIN(`id`) FROM `crm_company`) AS `company`',
  );
  const leadIds: number[] = [];
  const tables = {
    company: await rowsOf(db, 'crm_company', ids.company, made.companies, (row, i) => {
      row.nameKey = `floor ${i} ${String(row.nameKey)}`.slice(0, 255);
      row.websiteDomain = row.websiteDomain === null ? null : `floor-${i}.${String(row.websiteDomain)}`;
      row.tin = row.tin === null ? null : `8${String(i).padStart(11, '0')}`;
    }),
    contact: await rowsOf(db, 'crm_contact', ids.contact, made.contacts, () => undefined),
    lead: await rowsOf(db, 'crm_lead', ids.lead, made.leads, (row, _, id) => {
      row.externalSource = `floor:${String(row.externalSource)}`;
      leadIds.push(id);
    }),
  };
  const tokensOf = new Map<number, Row[]>();
  for (const token of await db.query('SELECT `leadId`, `token`, `hidden` FROM `crm_lead_search_token` WHERE `leadId` >= ? ORDER BY `leadId`, `token`', [ids.lead])) {
    const leadId = Number(token.leadId);
    tokensOf.set(leadId, [...(tokensOf.get(leadId) ?? []), token]);
  }
  // entityId is text: the ids compared as numbers.
  const entityId = db.kind === 'postgres' ? 'CAST(`entityId` AS BIGINT)' : 'CAST(`entityId` AS UNSIGNED)';
  const audit = await db.query(
    `SELECT * FROM \`crm_audit_entry\` WHERE (\`entityType\` = 'lead' AND ${entityId} >= ?) OR (\`entityType\` = 'contact' AND ${entityId} >= ?) OR (\`entityType\` = 'company' AND ${entityId} >= ?) ORDER BY \`id\``,
    [ids.lead, ids.contact, ids.company],
  );
  for (const row of audit) delete row.id;
  const kept = audit.map((row) => FLOOR_AUDIT_MODES.reduce<Row | null>((trimmed, mode) => trimmed && FLOOR_AUDIT[mode](trimmed), row)).filter((row) => row !== null);
  const pages = Math.ceil(made.leads / BATCH);
  const share = <T>(rows: T[], page: number): T[] => rows.slice(Math.floor((rows.length * page) / pages), Math.floor((rows.length * (page + 1)) / pages));
  const insertAll = async (table: string, rows: Row[], withIds = true): Promise<number[]> => {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]);
    return db.insert(table, columns, rows.map((row) => columns.map((c) => row[c])), withIds);
  };
  let tokens = 0;
  let tokenTime = 0;
  const started = performance.now();
  for (let page = 0; page < pages; page++) {
    await db.begin();
    await insertAll('crm_company', share(tables.company, page));
    await insertAll('crm_contact', share(tables.contact, page));
    const newIds = await insertAll('crm_lead', share(tables.lead, page));
    const pageTokens = share(leadIds, page).flatMap((oldId, i) => (tokensOf.get(oldId) ?? []).map((token) => ({ ...token, leadId: newIds[i] })));
    const tokensStarted = performance.now();
    for (let start = 0; start < pageTokens.length; start += 500) await insertAll('crm_lead_search_token', pageTokens.slice(start, start + 500), false);
    tokenTime += performance.now() - tokensStarted;
    tokens += pageTokens.length;
    await insertAll('crm_audit_entry', share(kept, page));
    await db.commit();
  }
  return { seconds: (performance.now() - started) / 1000, tokens, tokenSeconds: tokenTime / 1000 };
}

/** `count` rows of `table` from id `from`, without their ids, each passed through `distinct`. */
async function rowsOf(db: PlainDatabase, table: string, from: number, count: number, distinct: (row: Row, index: number, id: number) => void): Promise<Row[]> {
  const rows = await db.query(`SELECT * FROM \`${table}\` WHERE \`id\` >= ? ORDER BY \`id\` LIMIT ?`, [from, count]);
  rows.forEach((row, index) => {
    const id = Number(row.id);
    delete row.id;
    distinct(row, index, id);
  });
  return rows;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
