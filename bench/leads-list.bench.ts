/**
 * `npm run bench:leads`: 100,000 leads in a fresh MariaDB/MySQL database, then the EXPLAIN and the
 * timing of the queries `GET /crm/leads` and `GET /crm/leads/board` run for each filter.
 *
 * Server: `CRM_BENCH_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`); the database is dropped at the end.
 */
import 'reflect-metadata';
import { CapturingLogger, withBenchDatabase } from './support/bench-database';
import type { DataSource } from 'typeorm';
import type { CrmCaller } from '../modules/core/access/crm-caller';
import { RecordVisibility } from '../modules/core/visibility/record-visibility.service';
import type { LeadBoardQueryDto } from '../modules/leads/dto/lead-board.dto';
import type { LeadQueryDto } from '../modules/leads/dto/lead-query.dto';
import { LeadFinder } from '../modules/leads/lead-finder.service';
import { ListTotals } from '../modules/core/http/list-totals.service';
import { resolveCrmOptions } from '../modules/core/options/crm-module-options';
import { LEAD_VISIBILITY } from '../modules/leads/leads.service';
import { LeadSearchIndex } from '../modules/leads/lead-search-index.service';
import { RecordChanges } from '../modules/core/records/record-changes.service';
import { sourceCatalogCache } from './support/source-catalog';
import { recountedTallies } from './support/tallies';

const searchIndex = (dataSource: DataSource) => new LeadSearchIndex(dataSource, new RecordChanges());

const LEADS = 100_000;
const BATCH = 1_000;
const RUNS = 5;

const agent: CrmCaller = { id: 'bench', roles: ['crm_sales'], permissions: new Set(['leads.read']), partnerCompanyId: null };
const partner: CrmCaller = { ...agent, partnerCompanyId: 2 };

async function main(): Promise<void> {
  await withBenchDatabase(async (dataSource, logger, version) => {
    console.log(`# Leads list benchmark on ${version}, ${LEADS.toLocaleString('en')} leads\n`);
    const started = Date.now();
    const fixtures = await seed(dataSource);
    console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (multi-row INSERTs of ${BATCH}).\n`);
    await dataSource.query('ANALYZE TABLE crm_lead');
    await run(dataSource, logger, fixtures);
  });
}

interface Fixtures {
  sourceId: number;
  companyId: number;
}

async function seed(dataSource: DataSource): Promise<Fixtures> {
  const sources: { id: number }[] = await dataSource.query('SELECT id FROM crm_source WHERE forLeads = 1 ORDER BY id');
  const people = Array.from({ length: 50 }, (_, i) => `person${i}`);
  await dataSource.query(
    `INSERT INTO crm_person (id, displayName, active) VALUES ${people.map(() => '(?, ?, 1)').join(', ')}`,
    people.flatMap((id) => [id, `Person ${id}`]),
  );
  const companies = Array.from({ length: 500 }, (_, i) => i + 1);
  await dataSource.query(
    `INSERT INTO crm_company (name, nameKey, isPartner, version) VALUES ${companies.map(() => '(?, ?, ?, 1)').join(', ')}`,
    companies.flatMap((i) => [`Company ${i}`, `company ${i}`, i <= 5 ? 1 : 0]),
  );
  await dataSource.query("INSERT INTO crm_list_entry (kind, name, active, sequence) VALUES ('sales_direction', 'Fleet', 1, 10)");
  const [{ id: directionId }] = await dataSource.query("SELECT id FROM crm_list_entry WHERE kind = 'sales_direction'");
  const statuses = ['new', 'new', 'new', 'in_progress', 'in_progress', 'qualified', 'converted', 'lost'];
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;
  // mulberry32: a seeded generator, so every run inserts the same leads.
  let state = 42;
  const random = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
  const columns = '(name, sourceId, companyId, salesDirectionId, ownerId, partnerCompanyId, status, estimatedCloseDate, lostReason, createdById, version, createdAt, updatedAt)';
  for (let offset = 0; offset < LEADS; offset += BATCH) {
    const values: unknown[] = [];
    for (let i = offset; i < offset + BATCH; i++) {
      const createdAt = new Date(start + Math.floor((i / LEADS) * span));
      const status = statuses[random(statuses.length)];
      const close = new Date(createdAt.getTime() + random(365) * 86_400_000).toISOString().slice(0, 10);
      values.push(
        `Lead ${i} ${['vans', 'trucks', 'buses', 'cars'][random(4)]}`,
        sources[random(sources.length)].id,
        random(10) < 7 ? companies[random(companies.length)] : null,
        directionId,
        random(10) < 9 ? people[random(people.length)] : null,
        random(10) === 0 ? 1 + random(5) : null,
        status,
        close,
        status === 'lost' ? 'No budget' : null,
        'bench',
        1,
        createdAt,
        createdAt,
      );
    }
    const row = `(${Array(13).fill('?').join(', ')})`;
    await dataSource.query(`INSERT INTO crm_lead ${columns} VALUES ${Array(BATCH).fill(row).join(', ')}`, values);
    // Rows inserted by hand need their search tokens written as the lead writer writes them.
    const ids: { id: number }[] = await dataSource.query('SELECT id FROM crm_lead WHERE id > ? ORDER BY id', [offset]);
    await searchIndex(dataSource).indexNew(dataSource.manager, ids.map((r) => Number(r.id)));
  }
  return { sourceId: sources[0].id, companyId: 42 };
}

async function run(dataSource: DataSource, logger: CapturingLogger, f: Fixtures): Promise<void> {
  const visibility = new RecordVisibility();
  visibility.register('lead', LEAD_VISIBILITY);
  const finder = new LeadFinder(dataSource, visibility, new ListTotals(resolveCrmOptions()), searchIndex(dataSource), (await recountedTallies(dataSource))[0], sourceCatalogCache(dataSource));
  const page = (query: Partial<LeadQueryDto>): LeadQueryDto => ({ page: 1, limit: 50, sort: 'createdAt', order: 'desc', ...query }) as LeadQueryDto;
  const board = (query: Partial<LeadBoardQueryDto>): LeadBoardQueryDto => ({ groupBy: 'status', limit: 20, ...query }) as LeadBoardQueryDto;
  const cases: [string, () => Promise<unknown>][] = [
    ['newest first, no filter', () => finder.list(agent, page({}))],
    ['status=in_progress', () => finder.list(agent, page({ status: 'in_progress' }))],
    [`sourceId=${f.sourceId}`, () => finder.list(agent, page({ sourceId: f.sourceId }))],
    ['sourceType=website', () => finder.list(agent, page({ sourceType: 'website' }))],
    ['ownerId=person7', () => finder.list(agent, page({ ownerId: 'person7' }))],
    [`companyId=${f.companyId}`, () => finder.list(agent, page({ companyId: f.companyId }))],
    ['partner supervisor (partnerCompanyId=2)', () => finder.list(partner, page({}))],
    ['createdFrom/createdTo (one month)', () => finder.list(agent, page({ createdFrom: '2025-03-01', createdTo: '2025-04-01' }))],
    ['ownerId + status', () => finder.list(agent, page({ ownerId: 'person7', status: 'new' }))],
    ['sort=estimatedCloseDate asc', () => finder.list(agent, page({ sort: 'estimatedCloseDate', order: 'asc' }))],
    ['sort=name asc', () => finder.list(agent, page({ sort: 'name', order: 'asc' }))],
    ['q=trucks (word-prefix search)', () => finder.list(agent, page({ q: 'trucks' }))],
    ['board groupBy=status', () => finder.board(agent, board({}), [])],
    ['board groupBy=source', () => finder.board(agent, board({ groupBy: 'source' }), [])],
  ];
  const summary: string[] = [];
  for (const [label, work] of cases) {
    logger.captured = [];
    logger.capturing = true;
    await work();
    logger.capturing = false;
    const timings: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      await work();
      timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    timings.sort((a, b) => a - b);
    const median = timings[Math.floor(RUNS / 2)];
    summary.push(`| ${label} | ${median.toFixed(1)} ms | ${logger.captured.length} |`);
    console.log(`## ${label}: median ${median.toFixed(1)} ms over ${RUNS} runs, ${logger.captured.length} queries\n`);
    // The board's count, its sources and its one cards query; a list's page and count.
    for (const { query, parameters } of logger.captured.slice(0, 3)) {
      const plan: Record<string, unknown>[] = await dataSource.query(`EXPLAIN ${query}`, parameters);
      console.log('```');
      console.log(query.replace(/\s+/g, ' ').replace(/SELECT .*? FROM/, 'SELECT … FROM').slice(0, 400));
      for (const step of plan) {
        console.log(`  ${step.table ?? '-'}  type=${step.type}  key=${step.key ?? 'NULL'}  rows=${step.rows}  ${step.Extra ?? ''}`);
      }
      console.log('```\n');
    }
  }
  console.log('| query | median | SQL statements |\n| --- | --- | --- |');
  console.log(summary.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
