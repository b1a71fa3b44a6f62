/**
 * `npm run bench:attribution`: 100,000 leads (with the customers and opportunities converting
 * them produced) in a fresh MariaDB/MySQL database, then the EXPLAIN and the timing of every
 * shape of `GET /crm/reports/attribution`.
 *
 * Server: `CRM_BENCH_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`); the database is dropped at the end.
 */
import 'reflect-metadata';
import { CapturingLogger, withBenchDatabase } from './support/bench-database';
import type { DataSource } from 'typeorm';
import type { CrmCaller } from '../modules/core/access/crm-caller';
import { RecordVisibility } from '../modules/core/visibility/record-visibility.service';
import { AttributionReportService } from '../modules/reports/attribution-report.service';
import type { AttributionQueryDto } from '../modules/reports/dto/attribution-query.dto';
import { sourceCatalogCache } from './support/source-catalog';
import { recountedTallies } from './support/tallies';

const LEADS = 100_000;
const BATCH = 1_000;
const RUNS = 5;

const analyst: CrmCaller = { id: 'bench', roles: ['crm_manager'], permissions: new Set(['reports.read']), partnerCompanyId: null };

async function main(): Promise<void> {
  await withBenchDatabase(async (dataSource, logger, version) => {
    const started = Date.now();
    const seeded = await seed(dataSource);
    console.log(`# Attribution report benchmark on ${version}\n`);
    console.log(
      `${LEADS.toLocaleString('en')} leads, ${seeded.customers.toLocaleString('en')} customers, ${seeded.opportunities.toLocaleString('en')} opportunities ` +
        `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (multi-row INSERTs of ${BATCH}).\n`,
    );
    await dataSource.query('ANALYZE TABLE crm_lead, crm_customer, crm_opportunity, crm_source');
    await run(dataSource, logger);
  });
}

// mulberry32: a seeded generator, so every run inserts the same records.
let state = 42;
function random(n: number): number {
  state = (state + 0x6d2b79f5) | 0;
  let x = Math.imul(state ^ (state >>> 15), 1 | state);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n);
}

async function insertRows(dataSource: DataSource, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (let offset = 0; offset < rows.length; offset += BATCH) {
    const batch = rows.slice(offset, offset + BATCH);
    await dataSource.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${batch.map(() => row).join(', ')}`, batch.flat());
  }
}

/** Leads over two years; an eighth of them converted into a customer with an opportunity, half of those won. */
async function seed(dataSource: DataSource): Promise<{ customers: number; opportunities: number }> {
  const sources: { id: number; forCustomers: number }[] = await dataSource.query('SELECT id, forCustomers FROM crm_source WHERE forLeads = 1 ORDER BY id');
  await dataSource.query("INSERT INTO crm_person (id, displayName, active) VALUES ('owner', 'Owner', 1)");
  await dataSource.query("INSERT INTO crm_list_entry (kind, name, active, sequence) VALUES ('sales_direction', 'Fleet', 1, 10)");
  const [{ id: directionId }] = await dataSource.query("SELECT id FROM crm_list_entry WHERE kind = 'sales_direction'");
  const statuses = ['new', 'new', 'in_progress', 'in_progress', 'qualified', 'lost', 'lost', 'converted'];
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;

  const leads: unknown[][] = [];
  const converted: { leadId: number; sourceId: number; createdAt: Date }[] = [];
  for (let i = 0; i < LEADS; i++) {
    const createdAt = new Date(start + Math.floor((i / LEADS) * span));
    const status = statuses[random(statuses.length)];
    const sourceId = sources[random(sources.length)].id;
    leads.push([`Lead ${i}`, sourceId, directionId, 'owner', status, status === 'lost' ? 'No budget' : null, 'bench', 1, createdAt, createdAt]);
    if (status === 'converted') converted.push({ leadId: i + 1, sourceId, createdAt });
  }
  const leadColumns = ['name', 'sourceId', 'salesDirectionId', 'ownerId', 'status', 'lostReason', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertRows(dataSource, 'crm_lead', leadColumns, leads);

  const customers = converted.map((c) => [`Customer of lead ${c.leadId}`, 'owner', 'active', c.sourceId, c.leadId, 'bench', 1, c.createdAt, c.createdAt]);
  await insertRows(dataSource, 'crm_customer', ['name', 'ownerId', 'status', 'sourceId', 'leadId', 'createdById', 'version', 'createdAt', 'updatedAt'], customers);

  const stages = ['new', 'proposal', 'negotiation', 'won', 'won', 'lost'];
  const opportunities = converted.map((c, i) => {
    const stage = stages[random(stages.length)];
    const amount = `${1 + random(100_000)}.${String(random(100)).padStart(2, '0')}`;
    return [`Deal ${i}`, i + 1, c.leadId, c.sourceId, stage, stage === 'lost' ? 'Price' : null, amount, 'EUR', 'owner', 'bench', 1, c.createdAt, c.createdAt];
  });
  const opportunityColumns = ['title', 'customerId', 'originLeadId', 'sourceId', 'stage', 'lostReason', 'amount', 'currency', 'ownerId', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertRows(dataSource, 'crm_opportunity', opportunityColumns, opportunities);
  return { customers: customers.length, opportunities: opportunities.length };
}

async function run(dataSource: DataSource, logger: CapturingLogger): Promise<void> {
  // The staff's report: no partner scope, so no visibility rule is consulted.
  const reports = new AttributionReportService(dataSource, new RecordVisibility(), ...(await recountedTallies(dataSource)), sourceCatalogCache(dataSource));
  const query = (q: Partial<AttributionQueryDto>): AttributionQueryDto => ({ entity: 'lead', groupBy: 'source', ...q }) as AttributionQueryDto;
  const cases: [string, AttributionQueryDto][] = [
    ['entity=lead groupBy=source (all time)', query({})],
    ['entity=lead groupBy=sourceType (all time)', query({ groupBy: 'sourceType' })],
    ['entity=lead groupBy=source, one quarter', query({ from: '2025-04-01', to: '2025-07-01' })],
    ['entity=customer groupBy=source', query({ entity: 'customer' })],
    ['entity=customer groupBy=sourceType', query({ entity: 'customer', groupBy: 'sourceType' })],
    ['entity=opportunity groupBy=source', query({ entity: 'opportunity' })],
    ['entity=opportunity groupBy=sourceType, one quarter', query({ entity: 'opportunity', groupBy: 'sourceType', from: '2025-04-01', to: '2025-07-01' })],
  ];
  console.log(`| report | median of ${RUNS} | slowest | groups |`);
  console.log('|---|---|---|---|');
  const plans: string[] = [];
  for (const [label, q] of cases) {
    logger.captured = [];
    logger.capturing = true;
    const first = await reports.attribution(analyst, q);
    logger.capturing = false;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      await reports.attribution(analyst, q);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${label} | ${times[Math.floor(RUNS / 2)].toFixed(1)} ms | ${times[RUNS - 1].toFixed(1)} ms | ${first.rows.length} |`);
    for (const { query: sql, parameters } of logger.captured.filter((c) => /GROUP BY/i.test(c.query))) {
      const plan: Record<string, unknown>[] = await dataSource.query(`EXPLAIN ${sql}`, parameters);
      plans.push(`${label}\n  ${sql}\n${plan.map((p) => `    ${p.table}: type=${p.type} key=${p.key ?? '-'} rows=${p.rows} ${p.Extra ?? ''}`).join('\n')}`);
    }
  }
  console.log('\n## Plans\n');
  console.log(plans.join('\n\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
