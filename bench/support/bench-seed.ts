import type { DataSource } from 'typeorm';
import { ListEntry } from '../../modules/directory/list-entry.entity';
import { Source } from '../../modules/sources/source.entity';
import { normalizeCompanyName, normalizeEmail, normalizePhone } from '../../modules/directory/matching-keys';

/**
 * The name of the last migration whose schema `seedCrm` writes. The cached bench database is migrated up to it,
 * seeded, then migrated to the end: later migrations must backfill what they add, as they must for a real install.
 */
export const SEED_SCHEMA_MIGRATION = 'CrmOptionalOwners1764600000401';

/** Bumped whenever the seeded data changes, so cached databases seeded before are not reused. */
export const SEED_VERSION = 1;

/** What the seeded database holds, for the routes a bench sends. */
export interface SeedSummary {
  leads: number;
  companies: number;
  contacts: number;
  customers: number;
  opportunities: number;
}

const FIRST_NAMES = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Olga', 'Ivan', 'Anna', 'Dmitry', 'Elena', 'Wei', 'Mei', 'Ahmed', 'Fatima', 'Hiroshi', 'Yuki'];
const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'Ivanov', 'Petrova', 'Kuznetsov', 'Sokolova', 'Chen', 'Wang', 'Tanaka', 'Sato', 'Khan', 'Novak'];
const INDUSTRIES = ['Logistics', 'Freight', 'Construction', 'Rentals', 'Taxi', 'Couriers', 'Farming', 'Mining', 'Retail', 'Utilities', 'Catering', 'Security'];
const SUFFIXES = ['LLC', 'Inc', 'Ltd', 'GmbH', 'Group', 'Holding', 'Partners', 'Co'];
const CITIES = ['Springfield', 'Shelbyville', 'Cypress Creek', 'Ogdenville', 'North Haverbrook', 'Capital City', 'Brockway', 'Waverly Hills'];
const VEHICLES = ['vans', 'pickups', 'trucks', 'buses', 'sedans', 'SUVs', 'minivans', 'tractors'];
const JOB_TITLES = ['Fleet manager', 'Procurement lead', 'CEO', 'CFO', 'Operations director', 'Office manager', null];
// The lead statuses with their share of a real pipeline: most leads are new or being worked on.
const LEAD_STATUSES = ['new', 'new', 'new', 'in_progress', 'in_progress', 'in_progress', 'qualified', 'converted', 'lost', 'lost'];
const STAGES = ['new', 'qualification', 'proposal', 'negotiation', 'won', 'lost'];
const PEOPLE = 50;

/**
 * Fills a freshly migrated CRM database (schema as of `SEED_SCHEMA_MIGRATION`) with `leads` leads and what
 * surrounds them in a real install: one company per ten leads ("Company 137 Freight LLC", 5 of them partners),
 * one contact per two leads, sales people, the seeded sources, a customer and an opportunity per converted lead
 * and an opportunity per qualified lead. Multi-row INSERTs straight into the tables (not through the API), with
 * a seeded generator, so every run with the same `leads` inserts the same rows.
 */
export async function seedCrm(dataSource: DataSource, leads: number, log: (line: string) => void = () => undefined): Promise<SeedSummary> {
  const random = seededRandom(42);
  const pick = <T>(list: readonly T[]): T => list[random(list.length)];
  const companyCount = Math.max(100, Math.round(leads / 10));
  const contactCount = Math.max(100, Math.round(leads / 2));
  const start = Date.UTC(2024, 0, 1);
  const span = 2 * 365 * 86_400_000;

  const people = ['manager', 'agent', 'partner', ...Array.from({ length: PEOPLE }, (_, i) => `person${i}`)];
  await insertRows(dataSource, 'crm_person', ['id', 'displayName', 'email', 'active'], people.map((id) => [id, displayName(id), `${id}@crm.example`, 1]));
  const salesPeople = people.slice(3);
  const sources: { id: number }[] = await dataSource
    .createQueryBuilder()
    .select('s.id', 'id')
    .from(Source, 's')
    .where('s.forLeads = :yes', { yes: true })
    .orderBy('s.id')
    .getRawMany();
  const direction: { id: number } | undefined = await dataSource
    .createQueryBuilder()
    .select('e.id', 'id')
    .from(ListEntry, 'e')
    .where('e.kind = :kind', { kind: 'sales_direction' })
    .orderBy('e.id')
    .limit(1)
    .getRawOne();
  if (!direction) throw new Error('The migrations seed no sales direction: the bench seeder needs one');

  let t0 = Date.now();
  const companyName = (i: number) => `Company ${i} ${INDUSTRIES[i % INDUSTRIES.length]} ${SUFFIXES[(i * 7) % SUFFIXES.length]}`;
  await insertMany(dataSource, 'crm_company', ['name', 'nameKey', 'website', 'websiteDomain', 'isPartner', 'city', 'version', 'createdAt', 'updatedAt'], companyCount, (n) => {
    const i = n + 1;
    const at = timestamp(start + Math.floor((n / companyCount) * span));
    return [companyName(i), normalizeCompanyName(companyName(i)), `https://company${i}.example`, `company${i}.example`, i <= 5 ? 1 : 0, CITIES[i % CITIES.length], 1, at, at];
  });
  const firstCompany = await minId(dataSource, 'crm_company');
  log(`  ${companyCount.toLocaleString('en')} companies in ${seconds(t0)}`);

  t0 = Date.now();
  // Contact n works at company n % companies, so a lead's contact and company agree.
  const contactCompany = (n: number) => firstCompany + (n % companyCount);
  await insertMany(dataSource, 'crm_contact', ['companyId', 'firstName', 'lastName', 'phone', 'phoneKey', 'email', 'emailKey', 'doNotContact', 'jobTitle', 'version', 'createdAt', 'updatedAt'], contactCount, (n) => {
    const first = FIRST_NAMES[n % FIRST_NAMES.length];
    const last = LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length];
    const phone = `+1 555 ${String(1_000_000 + n).slice(-7, -4)}-${String(n).padStart(4, '0').slice(-4)}`;
    const email = `${first}.${last}.${n}@company${(n % companyCount) + 1}.example`.toLowerCase();
    const at = timestamp(start + Math.floor((n / contactCount) * span));
    return [contactCompany(n), first, last, phone, normalizePhone(phone), email, normalizeEmail(email), random(50) === 0 ? 1 : 0, pick(JOB_TITLES), 1, at, at];
  });
  const firstContact = await minId(dataSource, 'crm_contact');
  log(`  ${contactCount.toLocaleString('en')} contacts in ${seconds(t0)}`);

  t0 = Date.now();
  const converted: { lead: number; sourceId: number; companyId: number | null; contactId: number | null; ownerId: string | null; name: string; at: number }[] = [];
  const qualified: { lead: number; sourceId: number; ownerId: string | null; name: string; at: number }[] = [];
  const leadColumns = ['name', 'sourceId', 'leadCompanyName', 'companyId', 'contactId', 'jobTitle', 'salesDirectionId', 'customerRequirements', 'ownerId', 'city', 'partnerCompanyId', 'budgetIsSet', 'estimatedAmount', 'status', 'lostReason', 'estimatedCloseDate', 'convertedAt', 'createdById', 'version', 'createdAt', 'updatedAt'];
  await insertMany(dataSource, 'crm_lead', leadColumns, leads, (n) => {
    const created = start + Math.floor((n / leads) * span);
    const status = pick(LEAD_STATUSES);
    const source = pick(sources);
    const contact = random(10) < 8 ? random(contactCount) : null;
    const companyIndex = contact === null ? (random(2) === 0 ? random(companyCount) : null) : contact % companyCount;
    const companyId = companyIndex === null ? null : firstCompany + companyIndex;
    const name = `${2 + random(30)} ${pick(VEHICLES)} for ${companyIndex === null ? 'a private buyer' : companyName(companyIndex + 1)}`;
    const ownerId = random(10) < 9 ? pick(salesPeople) : null;
    const amount = random(3) === 0 ? null : `${(5 + random(500)) * 1000}.00`;
    if (status === 'converted') converted.push({ lead: n, sourceId: source.id, companyId, contactId: contact === null ? null : firstContact + contact, ownerId, name, at: created });
    if (status === 'qualified') qualified.push({ lead: n, sourceId: source.id, ownerId, name, at: created });
    return [
      name,
      source.id,
      companyIndex === null && random(2) === 0 ? `${pick(LAST_NAMES)} family` : null,
      companyId,
      contact === null ? null : firstContact + contact,
      contact === null ? null : pick(JOB_TITLES),
      direction.id,
      random(4) === 0 ? `Needs ${pick(VEHICLES)} with a service contract` : null,
      ownerId,
      pick(CITIES),
      random(10) === 0 ? firstCompany + random(5) : null,
      amount === null ? 0 : 1,
      amount,
      status,
      status === 'lost' ? 'No budget this year' : null,
      new Date(created + random(365) * 86_400_000).toISOString().slice(0, 10),
      status === 'converted' ? timestamp(created + 86_400_000) : null,
      'bench',
      1,
      timestamp(created),
      timestamp(created),
    ];
  });
  const firstLead = await minId(dataSource, 'crm_lead');
  log(`  ${leads.toLocaleString('en')} leads in ${seconds(t0)}`);

  t0 = Date.now();
  await insertMany(dataSource, 'crm_customer', ['name', 'companyId', 'primaryContactId', 'ownerId', 'status', 'sourceId', 'leadId', 'createdById', 'version', 'createdAt', 'updatedAt'], converted.length, (n) => {
    const c = converted[n];
    const at = timestamp(c.at + 86_400_000);
    return [c.companyId === null ? `Customer of lead ${firstLead + c.lead}` : companyName(c.companyId - firstCompany + 1), c.companyId, c.contactId, c.ownerId, random(10) === 0 ? 'inactive' : 'active', c.sourceId, firstLead + c.lead, 'bench', 1, at, at];
  });
  const firstCustomer = converted.length ? await minId(dataSource, 'crm_customer') : 0;
  const opportunityColumns = ['title', 'leadId', 'customerId', 'originLeadId', 'sourceId', 'stage', 'lostReason', 'amount', 'currency', 'probability', 'expectedCloseDate', 'ownerId', 'closedAt', 'createdById', 'version', 'createdAt', 'updatedAt'];
  const opportunity = (o: { lead: number; sourceId: number; ownerId: string | null; name: string; at: number }, customerId: number | null) => {
    const stage = pick(STAGES);
    const closed = stage === 'won' || stage === 'lost';
    const at = o.at + 2 * 86_400_000;
    return [o.name, customerId === null ? firstLead + o.lead : null, customerId, firstLead + o.lead, o.sourceId, stage, stage === 'lost' ? 'Chose a competitor' : null, `${(5 + random(500)) * 1000}.00`, 'USD', 10 * random(11), new Date(at + random(180) * 86_400_000).toISOString().slice(0, 10), o.ownerId, closed ? timestamp(at + 30 * 86_400_000) : null, 'bench', 1, timestamp(at), timestamp(at)];
  };
  await insertMany(dataSource, 'crm_opportunity', opportunityColumns, converted.length, (n) => opportunity(converted[n], firstCustomer + n));
  await insertMany(dataSource, 'crm_opportunity', opportunityColumns, qualified.length, (n) => opportunity(qualified[n], null));
  // Each converted lead points at its customer and opportunity, as the conversion leaves it.
  await dataSource.query(
    `UPDATE crm_lead SET customerId = (SELECT c.id FROM crm_customer c WHERE c.leadId = crm_lead.id), opportunityId = (SELECT MIN(o.id) FROM crm_opportunity o WHERE o.originLeadId = crm_lead.id) WHERE status = 'converted'`,
  );
  log(`  ${converted.length.toLocaleString('en')} customers, ${(converted.length + qualified.length).toLocaleString('en')} opportunities in ${seconds(t0)}`);
  return { leads, companies: companyCount, contacts: contactCount, customers: converted.length, opportunities: converted.length + qualified.length };
}

/** mulberry32: a small seeded generator; `random(n)` is an integer in [0, n). */
function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

function displayName(id: string): string {
  return id.replace(/^./, (c) => c.toUpperCase()).replace(/(\d+)$/, ' $1');
}

/** UTC `YYYY-MM-DD HH:MM:SS.mmm`, as TypeORM stores datetimes on both MariaDB and SQLite. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function minId(dataSource: DataSource, table: string): Promise<number> {
  const row: { id: number | string } | undefined = await dataSource.createQueryBuilder().select('MIN(t.id)', 'id').from(table, 't').getRawOne();
  return Number(row?.id);
}

/** `count` rows made by `row(n)`, inserted in multi-row INSERTs inside one transaction per few batches. */
async function insertMany(dataSource: DataSource, table: string, columns: string[], count: number, row: (n: number) => unknown[]): Promise<void> {
  // Under SQLite's and MySQL's bound-parameter limits, and packets well under max_allowed_packet.
  const batch = Math.max(1, Math.min(1000, Math.floor(30_000 / columns.length)));
  const perTransaction = 20 * batch;
  for (let offset = 0; offset < count; offset += perTransaction) {
    const rows: unknown[][] = [];
    for (let n = offset; n < Math.min(count, offset + perTransaction); n++) rows.push(row(n));
    await insertRows(dataSource, table, columns, rows, batch);
  }
}

async function insertRows(dataSource: DataSource, table: string, columns: string[], rows: unknown[][], batch = 1000): Promise<void> {
  const { driver } = dataSource;
  const postgres = driver.options.type === 'postgres';
  const head = `INSERT INTO ${driver.escape(table)} (${columns.map((c) => driver.escape(c)).join(', ')}) VALUES `;
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < rows.length; i += batch) {
      const chunk = rows.slice(i, i + batch);
      let p = 0;
      const values = chunk.map((r) => `(${r.map(() => (postgres ? `$${++p}` : '?')).join(', ')})`).join(', ');
      await manager.query(head + values, chunk.flat());
    }
  });
}
