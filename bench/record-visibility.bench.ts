/**
 * `npm run bench:visibility`: 100,000 leads (a tenth of them of five partner companies), the customers
 * and opportunities converting them produced, and opportunities on open leads, in a fresh MariaDB/MySQL
 * database; then the timing and EXPLAIN of the partner scope as the lists, counts and the attribution
 * report apply it, for a partner supervisor and, as the baseline, for the staff.
 *
 * Server: `CRM_BENCH_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`); the database is dropped at the end.
 */
import 'reflect-metadata';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CapturingLogger, withBenchDatabase } from './support/bench-database';
import type { CrmCaller } from '../modules/core/access/crm-caller';
import { RecordVisibility } from '../modules/core/visibility/record-visibility.service';
import { CUSTOMER_VISIBILITY } from '../modules/customers/customers.service';
import { Customer } from '../modules/customers/customer.entity';
import { COMPANY_VISIBILITY } from '../modules/directory/companies.service';
import { Company } from '../modules/directory/company.entity';
import { CONTACT_VISIBILITY } from '../modules/directory/contacts.service';
import { Contact } from '../modules/directory/contact.entity';
import { LEAD_VISIBILITY } from '../modules/leads/leads.service';
import { OPPORTUNITY_VISIBILITY } from '../modules/opportunities/opportunities.service';
import { Opportunity } from '../modules/opportunities/opportunity.entity';
import { AttributionReportService } from '../modules/reports/attribution-report.service';
import type { AttributionQueryDto } from '../modules/reports/dto/attribution-query.dto';
import { sourceCatalogCache } from './support/source-catalog';
import { recountedTallies } from './support/tallies';

const LEADS = 100_000;
const COMPANIES = 5_000;
const BATCH = 1_000;
const RUNS = 5;
const PARTNERS = 5;

const staff: CrmCaller = { id: 'bench', roles: ['crm_sales'], permissions: new Set(), partnerCompanyId: null };
const partner: CrmCaller = { ...staff, id: 'partner', partnerCompanyId: 2 };

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

/** Partner companies 1-5, then companies with a contact each; leads on them; conversions; opportunities. */
async function seed(dataSource: DataSource): Promise<Record<string, number>> {
  const companies = Array.from({ length: COMPANIES }, (_, i) => [`Company ${i + 1}`, `company ${i + 1}`, i < PARTNERS ? 1 : 0, 1]);
  await insertRows(dataSource, 'crm_company', ['name', 'nameKey', 'isPartner', 'version'], companies);
  const contacts = Array.from({ length: COMPANIES }, (_, i) => [i + 1, 'First', `Last ${i}`, 1]);
  await insertRows(dataSource, 'crm_contact', ['companyId', 'firstName', 'lastName', 'version'], contacts);
  const sources: { id: number }[] = await dataSource.query('SELECT id FROM crm_source WHERE forLeads = 1 ORDER BY id');
  await dataSource.query("INSERT INTO crm_list_entry (kind, name, active, sequence) VALUES ('sales_direction', 'Fleet', 1, 10)");
  const [{ id: directionId }] = await dataSource.query("SELECT id FROM crm_list_entry WHERE kind = 'sales_direction'");
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;
  const leads: unknown[][] = [];
  const converted: { leadId: number; partnerCompanyId: number | null; companyId: number; sourceId: number; createdAt: Date }[] = [];
  const open: { leadId: number; sourceId: number; createdAt: Date }[] = [];
  for (let i = 0; i < LEADS; i++) {
    const createdAt = new Date(start + Math.floor((i / LEADS) * span));
    const partnerCompanyId = random(10) === 0 ? 1 + random(PARTNERS) : null;
    const company = PARTNERS + 1 + random(COMPANIES - PARTNERS);
    const status = random(8) === 0 ? 'converted' : 'new';
    const sourceId = sources[random(sources.length)].id;
    leads.push([`Lead ${i}`, sourceId, directionId, company, company, partnerCompanyId, status, 'bench', 1, createdAt, createdAt]);
    if (status === 'converted') converted.push({ leadId: i + 1, partnerCompanyId, companyId: company, sourceId, createdAt });
    else if (random(10) === 0) open.push({ leadId: i + 1, sourceId, createdAt });
  }
  const leadColumns = ['name', 'sourceId', 'salesDirectionId', 'companyId', 'contactId', 'partnerCompanyId', 'status', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertRows(dataSource, 'crm_lead', leadColumns, leads);
  const customers = converted.map((c) => [`Customer of lead ${c.leadId}`, c.companyId, c.companyId, 'active', c.sourceId, c.leadId, c.partnerCompanyId, 'bench', 1, c.createdAt, c.createdAt]);
  const customerColumns = ['name', 'companyId', 'primaryContactId', 'status', 'sourceId', 'leadId', 'partnerCompanyId', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertRows(dataSource, 'crm_customer', customerColumns, customers);
  const onCustomers = converted.map((c, i) => [`Deal ${i}`, null, i + 1, c.leadId, c.sourceId, random(2) ? 'won' : 'new', '100.00', 'EUR', 'bench', 1, c.createdAt, c.createdAt]);
  const onLeads = open.map((o, i) => [`Lead deal ${i}`, o.leadId, null, o.leadId, o.sourceId, 'new', '50.00', 'EUR', 'bench', 1, o.createdAt, o.createdAt]);
  const opportunityColumns = ['title', 'leadId', 'customerId', 'originLeadId', 'sourceId', 'stage', 'amount', 'currency', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertRows(dataSource, 'crm_opportunity', opportunityColumns, [...onCustomers, ...onLeads]);
  return { leads: LEADS, companies: COMPANIES, contacts: COMPANIES, customers: customers.length, opportunities: onCustomers.length + onLeads.length };
}

async function main(): Promise<void> {
  await withBenchDatabase(async (dataSource, logger, version) => {
    const started = Date.now();
    const counts = await seed(dataSource);
    console.log(`# Record visibility benchmark on ${version}\n`);
    console.log(`${Object.entries(counts).map(([k, n]) => `${n.toLocaleString('en')} ${k}`).join(', ')}; seeded in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    await dataSource.query('ANALYZE TABLE crm_lead, crm_customer, crm_opportunity, crm_company, crm_contact');
    await run(dataSource, logger);
  });
}

async function run(dataSource: DataSource, logger: CapturingLogger): Promise<void> {
  const visibility = new RecordVisibility();
  visibility.register('lead', LEAD_VISIBILITY);
  visibility.register('customer', CUSTOMER_VISIBILITY);
  visibility.register('opportunity', OPPORTUNITY_VISIBILITY);
  visibility.register('company', COMPANY_VISIBILITY);
  visibility.register('contact', CONTACT_VISIBILITY);
  const reports = new AttributionReportService(dataSource, visibility, ...(await recountedTallies(dataSource)), sourceCatalogCache(dataSource));
  /** A list page of 50, newest first, and its total: what the list routes send. */
  const page = <T extends ObjectLiteral>(qb: () => SelectQueryBuilder<T>, order: string) => () => qb().orderBy(order, 'DESC').take(50).getManyAndCount();
  const scoped = <T extends ObjectLiteral>(caller: CrmCaller, kind: string, entity: new () => T, alias: string) => () =>
    visibility.scope(dataSource.getRepository(entity).createQueryBuilder(alias), caller, kind);
  const report = (caller: CrmCaller, entity: string) => () => reports.attribution(caller, { entity, groupBy: 'source' } as AttributionQueryDto);
  const cases: [string, () => Promise<unknown>][] = [];
  for (const [who, caller] of [['staff', staff], ['partner 2', partner]] as const) {
    cases.push(
      [`${who}: GET /crm/opportunities`, page(scoped(caller, 'opportunity', Opportunity, 'o'), 'o.createdAt')],
      [`${who}: GET /crm/customers`, page(scoped(caller, 'customer', Customer, 'c'), 'c.createdAt')],
      [`${who}: GET /crm/companies`, page(scoped(caller, 'company', Company, 'c'), 'c.nameKey')],
      [`${who}: GET /crm/contacts`, page(scoped(caller, 'contact', Contact, 'c'), 'c.lastName')],
      [`${who}: attribution entity=lead`, report(caller, 'lead')],
      [`${who}: attribution entity=opportunity`, report(caller, 'opportunity')],
    );
  }
  console.log(`| query | median of ${RUNS} | slowest |`);
  console.log('|---|---|---|');
  const plans: string[] = [];
  for (const [label, work] of cases) {
    logger.captured = [];
    logger.capturing = true;
    await work();
    logger.capturing = false;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = process.hrtime.bigint();
      await work();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${label} | ${times[Math.floor(RUNS / 2)].toFixed(1)} ms | ${times[RUNS - 1].toFixed(1)} ms |`);
    if (!label.startsWith('partner')) continue;
    for (const { query: sql, parameters } of logger.captured.slice(0, 2)) {
      const plan: Record<string, unknown>[] = await dataSource.query(`EXPLAIN ${sql}`, parameters);
      plans.push(`${label}\n${plan.map((p) => `    ${p.select_type} ${p.table}: type=${p.type} key=${p.key ?? '-'} rows=${p.rows} ${p.Extra ?? ''}`).join('\n')}`);
    }
  }
  console.log('\n## Plans (partner)\n');
  console.log(plans.join('\n\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
