/**
 * `npm run bench:http`: the CRM's HTTP routes at scale, as a ratio to a bare route behind the same CRM guard.
 *
 * Seeds `BENCH_LEADS` leads (default 100,000) with companies, contacts, customers and opportunities into a cached
 * database (see `openSeededDatabase`), boots the demo host's module in this process with one more controller (the
 * bare route), and with autocannon runs the bare route and each route below, interleaved, `BENCH_ROUNDS` rounds;
 * prints req/s, p50/p99 and the ratio to the bare route measured in the same round (medians over the rounds).
 *
 * Environment (all optional):
 * - `BENCH_DB`: `mysql` (default; MariaDB/MySQL on `CRM_BENCH_MYSQL_URL`, default `mysql://root@127.0.0.1:3306`) or `sqlite`.
 * - `BENCH_LEADS`: leads seeded (default 100000; `1000000` for the scale run).
 * - `BENCH_ROUTES`: comma-separated route names (or parts of them) to run, e.g. `leads-status,search`; the bare route always runs.
 * - `BENCH_DURATION`: seconds per route per round (default 5); `BENCH_ROUNDS` (default 3); `BENCH_CONNECTIONS` (default 20);
 *   `BENCH_WARMUP`: seconds of warm-up per route before the rounds (default 1).
 * - `BENCH_FRESH=1`: drop the cached database and seed it again. `BENCH_PORT`: the port to listen on (default: any free one).
 * - `BENCH_PROFILE=dir`: write a CPU profile of each route's last round to `dir/<route>.cpuprofile` (this process:
 *   the host and autocannon's client), to see where a route's time goes without the other routes'.
 * - `BENCH_SQL=1`: print each floor's statements whole, with their parameters (else their first 160 characters).
 * - `BENCH_FLOOR=0`: skip the floors (MariaDB/MySQL only). A GET route's floor is its own SELECTs, captured from a
 *   request to it, sent all at once through the same mysql2 pool by a route beside the bare one and answered with
 *   their rows as mysql2 returns them: no query building, rule, DTO or validation of ours. It bounds what any
 *   implementation that issues the same statements and answers with their rows can reach on this machine.
 */
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { CallHandler, ExecutionContext, Get, INestApplication, Injectable, Module, NestInterceptor, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import autocannon from 'autocannon';
import { finalize, Observable, tap } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { Authorized } from '../modules/core/access/crm-access.decorators';
import { CrmController } from '../modules/core/http/crm-controller.decorator';
import { AppModule, HostConfig } from '../src/app.module';
import { demoAuthMiddleware } from '../src/auth/demo-auth.middleware';
import { databaseOptions } from '../src/database/database-options';
import { BenchDatabaseKind, CapturingLogger, openSeededDatabase, SeededDatabase } from './support/bench-database';

/** What a route's requests are made from. */
interface BenchContext {
  db: SeededDatabase;
  managerToken: string;
  intakeKey: string;
  /** Unique per process, so created companies and contacts never collide with an earlier run's. */
  runId: string;
  /** Six digits that differ between runs, for the unique taxpayer numbers of created companies. */
  runDigits: string;
}

interface BenchRoute {
  /** Short name `BENCH_ROUTES` selects by. */
  name: string;
  /** As printed in the table. */
  label: string;
  method: 'GET' | 'POST';
  path: string;
  /** The JSON body of the n-th request (POST routes): unique per request where the route creates records. */
  body?: (context: BenchContext, n: number) => unknown;
  /** Which credential the request carries. Default: the manager's bearer token. */
  auth?: 'manager' | 'intake';
  /** The route whose floor this is (`BENCH_FLOOR`). */
  floorOf?: BenchRoute;
}

const BARE: BenchRoute = { name: 'bare', label: 'bare guarded route', method: 'GET', path: '/crm/bench/bare' };

/** The routes of issue 16's table, in its order. Add a route here to measure it. */
const ROUTES: BenchRoute[] = [
  { name: 'sources', label: '`GET /crm/sources` (the picker)', method: 'GET', path: '/crm/sources' },
  { name: 'leads-status', label: '`GET /crm/leads?status=new&limit=50`', method: 'GET', path: '/crm/leads?status=new&limit=50' },
  { name: 'search', label: '`GET /crm/leads?q=Company 137&limit=50`', method: 'GET', path: '/crm/leads?q=Company%20137&limit=50' },
  { name: 'board', label: '`GET /crm/leads/board?groupBy=source`', method: 'GET', path: '/crm/leads/board?groupBy=source' },
  { name: 'attribution', label: '`GET /crm/reports/attribution?entity=lead&groupBy=source`', method: 'GET', path: '/crm/reports/attribution?entity=lead&groupBy=source' },
  {
    name: 'create-lead',
    label: '`POST /crm/leads` (new company + contact)',
    method: 'POST',
    path: '/crm/leads',
    body: (c, n) => ({
      name: `Fleet of ${2 + (n % 20)} vans for Bench ${c.runId} ${n}`,
      sourceId: 1,
      salesDirectionId: 1,
      newCompany: { name: `Bench ${c.runId} ${n} Logistics`, website: `https://bench-${c.runId}-${n}.example`, tin: `${c.runDigits}${String(n + 1).padStart(6, '0')}` },
      newContact: { firstName: 'Hank', lastName: `Bench${n}`, email: `hank.${c.runId}.${n}@bench.example`, phone: `+1 555 ${String(n).padStart(7, '0')}` },
      customerRequirements: 'Electric vans, delivery before the summer',
    }),
  },
  {
    name: 'intake',
    label: '`POST /crm/intake/leads`',
    method: 'POST',
    path: '/crm/intake/leads',
    auth: 'intake',
    body: (c, n) => ({
      source: 'campaign',
      name: `Quote for ${1 + (n % 9)} pickups`,
      companyName: `Intake ${c.runId} ${n} Corp`,
      website: `https://intake-${c.runId}-${n}.example`,
      firstName: 'Alice',
      lastName: `Intake${n}`,
      email: `alice.${c.runId}.${n}@intake.example`,
      phone: `+1 556 ${String(n).padStart(7, '0')}`,
      salesDirection: 'General',
      customerRequirements: 'Three pickups with a towing package',
    }),
  },
];

/** Each GET route's own SELECTs by route name, captured from a request to it: what its floor sends. */
const FLOOR_STATEMENTS = new Map<string, CapturingLogger['captured']>();

/** The bare route (the CRM's guard, filter and param shielding, no service and no query), and the floors. */
@CrmController('crm/bench', 'Leads')
class BareController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('bare')
  @Authorized('leads.read')
  bare(): { ok: true } {
    return { ok: true };
  }

  /**
   * A route's floor: its statements sent at once (more generous than the route, which waits for some before others)
   * through the pool TypeORM queries with, answered with the rows of each as mysql2 returns them.
   */
  @Get('floor/:route')
  @Authorized('leads.read')
  floor(@Param('route') route: string): Promise<unknown[]> {
    const pool = (this.dataSource.driver as MysqlDriver).pool as { query(sql: string, parameters: unknown[], done: (error: Error | null, rows: unknown) => void): void };
    const statements = FLOOR_STATEMENTS.get(route) ?? [];
    return Promise.all(statements.map(({ query, parameters }) => new Promise((resolve, reject) => pool.query(query, parameters, (error, rows) => (error ? reject(error) : resolve(rows))))));
  }
}

const MANAGER_TOKEN = 'bench-manager-token';

function env(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

/**
 * The requests the host is still working on, and the errors its handlers threw. autocannon stops a timed run at its
 * deadline with requests in flight, which the host finishes anyway: the next run waits for them so each route is
 * measured alone.
 */
class HostRecorder {
  static inFlight = 0;
  static errors = 0;

  static async drained(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (HostRecorder.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

@Injectable()
class HostRecorderInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    HostRecorder.inFlight++;
    return next.handle().pipe(
      tap({ error: () => HostRecorder.errors++ }),
      finalize(() => HostRecorder.inFlight--),
    );
  }
}

async function main(): Promise<void> {
  const kind = (process.env.BENCH_DB ?? 'mysql') as BenchDatabaseKind;
  if (kind !== 'mysql' && kind !== 'sqlite') throw new Error(`BENCH_DB must be mysql or sqlite (got ${kind})`);
  const leads = Math.round(env('BENCH_LEADS', 100_000));
  const duration = env('BENCH_DURATION', 5);
  const rounds = Math.round(env('BENCH_ROUNDS', 3));
  const connections = Math.round(env('BENCH_CONNECTIONS', 20));
  const profileDir = process.env.BENCH_PROFILE;
  const warmup = process.env.BENCH_WARMUP === '0' ? 0 : env('BENCH_WARMUP', 1);
  const filter = (process.env.BENCH_ROUTES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const routes = ROUTES.filter((r) => !filter.length || filter.some((f) => r.name.includes(f)));
  if (!routes.length) throw new Error(`BENCH_ROUTES=${process.env.BENCH_ROUTES} selects none of: ${ROUTES.map((r) => r.name).join(', ')}`);

  const withFloors = kind === 'mysql' && process.env.BENCH_FLOOR !== '0';
  const db = await openSeededDatabase(kind, leads, { fresh: process.env.BENCH_FRESH === '1', log: (line) => console.error(line) });
  const recorder = withFloors ? new CapturingLogger() : undefined;
  const app = await bootHost(db, recorder);
  try {
    await app.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1');
    const base = await app.getUrl();
    const context: BenchContext = { db, managerToken: MANAGER_TOKEN, intakeKey: await createIntakeKey(base), runId: `${Date.now().toString(36)}${process.pid}`, runDigits: String(Math.floor(Date.now() / 1000) % 1_000_000).padStart(6, '0') };
    for (const route of [BARE, ...routes]) await checkRoute(base, route, context);
    const floors = recorder ? await captureFloors(base, routes, context, recorder) : [];
    const all = [BARE, ...routes.flatMap((route) => [route, ...floors.filter((floor) => floor.floorOf === route)])];

    console.log(`# bench:http — ${db.summary.leads.toLocaleString('en')} leads on ${db.description}${db.seeded ? '' : ' (cached)'}`);
    console.log(`${db.summary.companies.toLocaleString('en')} companies, ${db.summary.contacts.toLocaleString('en')} contacts, ${db.summary.customers.toLocaleString('en')} customers, ${db.summary.opportunities.toLocaleString('en')} opportunities; ` + `${connections} connections, ${rounds} rounds of ${duration} s per route, interleaved; medians over the rounds.\n`);
    const counters = new Map<BenchRoute, number>();
    // Each round sends a route as many requests as its last measured rate serves in `duration` seconds.
    const rates = new Map<BenchRoute, number>();
    const runOf = (route: BenchRoute) => (rates.has(route) ? { amount: Math.max(2 * connections, Math.round(rates.get(route)! * duration)) } : { duration });
    if (warmup) for (const route of all) rates.set(route, (await measure(base, route, context, counters, { duration: warmup }, connections)).rps);
    const samples = new Map<BenchRoute, Sample[]>(all.map((r) => [r, []]));
    for (let round = 0; round < rounds; round++) {
      for (const route of all) {
        const profiled = profileDir && round === rounds - 1 ? await startProfile() : undefined;
        const sample = await measure(base, route, context, counters, runOf(route), connections);
        if (profiled) await profiled(join(profileDir!, `${route.name}.cpuprofile`));
        rates.set(route, sample.rps);
        samples.get(route)!.push(sample);
        console.error(`  round ${round + 1}/${rounds} ${route.name}: ${sample.rps.toFixed(1)} req/s, p99 ${sample.p99.toFixed(0)} ms${sample.failed ? `, ${sample.failed} failed` : ''}`);
      }
    }
    printTable(all, samples);
    for (const floor of floors) console.log(`\n${floor.floorOf!.name}'s floor sends:\n${FLOOR_STATEMENTS.get(floor.floorOf!.name)!.map(statementLine).join('\n')}`);
  } finally {
    await app.close();
  }
}

/** The demo host's module (the CRM mounted as any app mounts it) plus the bare route, on the seeded database. */
async function bootHost(db: SeededDatabase, recorder: CapturingLogger | undefined): Promise<INestApplication> {
  const config: HostConfig = {
    database: { ...databaseOptions(db.url), ...(recorder ? { logger: recorder } : {}) },
    migrate: true,
    tokens: [{ token: MANAGER_TOKEN, user: { id: 'manager', roles: ['crm_manager'] } }],
    // The intake route is measured, not its limiter: the default (60 a minute per key) would answer 429 at once.
    crm: { intake: { rateLimitPoints: 1_000_000_000 } },
  };
  @Module({ imports: [AppModule.forRoot(config)], controllers: [BareController] })
  class BenchHostModule {}
  const app = await NestFactory.create(BenchHostModule, { logger: ['error', 'warn'], abortOnError: false });
  app.use(demoAuthMiddleware(config.tokens));
  app.useGlobalInterceptors(new HostRecorderInterceptor());
  return app;
}

async function createIntakeKey(base: string): Promise<string> {
  const response = await fetch(`${base}/crm/intake/keys`, { method: 'POST', headers: { authorization: `Bearer ${MANAGER_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: `bench:http ${new Date().toISOString()}` }) });
  const body = (await response.json()) as { key?: string };
  if (!response.ok || !body.key) throw new Error(`Creating an intake key answered ${response.status}: ${JSON.stringify(body)}`);
  return body.key;
}

function headersOf(route: BenchRoute, context: BenchContext): Record<string, string> {
  const auth: Record<string, string> = route.auth === 'intake' ? { 'x-api-key': context.intakeKey } : { authorization: `Bearer ${context.managerToken}` };
  return route.body ? { ...auth, 'content-type': 'application/json' } : auth;
}

/** One request first: a route that fails is reported with its answer rather than measured. */
async function checkRoute(base: string, route: BenchRoute, context: BenchContext): Promise<void> {
  const response = await fetch(base + route.path, { method: route.method, headers: headersOf(route, context), body: route.body ? JSON.stringify(route.body(context, -1)) : undefined });
  if (!response.ok) throw new Error(`${route.method} ${route.path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}

/**
 * The floor of each GET route: its SELECTs, captured from its second request (the first fills the caches a steady
 * stream of requests finds filled, e.g. the search's rarity counts).
 */
async function captureFloors(base: string, routes: BenchRoute[], context: BenchContext, recorder: CapturingLogger): Promise<BenchRoute[]> {
  const floors: BenchRoute[] = [];
  for (const route of routes.filter((r) => r.method === 'GET')) {
    recorder.captured = [];
    recorder.capturing = true;
    await checkRoute(base, route, context);
    recorder.capturing = false;
    FLOOR_STATEMENTS.set(route.name, recorder.captured);
    const floor: BenchRoute = { name: `${route.name}-floor`, label: `↳ its floor (${recorder.captured.length} SELECT${recorder.captured.length === 1 ? '' : 's'}, raw rows)`, method: 'GET', path: `/crm/bench/floor/${route.name}`, floorOf: route };
    await checkRoute(base, floor, context);
    floors.push(floor);
  }
  return floors;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

/**
 * One autocannon run of `route`: `amount` requests when given (the run ends when every one is answered, so slow
 * routes get their whole latency distribution), else for `duration` seconds (the warm-up, which estimates the rate).
 */
async function measure(base: string, route: BenchRoute, context: BenchContext, counters: Map<BenchRoute, number>, run: { amount: number } | { duration: number }, connections: number): Promise<Sample> {
  const headers = headersOf(route, context);
  const body = route.body;
  HostRecorder.errors = 0;
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: base,
    connections,
    // A loaded machine's slowest routes answer in seconds: not a timeout.
    timeout: 120,
    ...run,
    requests: [
      {
        method: route.method,
        path: route.path,
        headers,
        // autocannon calls setupRequest when the key is present, even when undefined.
        ...(body
          ? {
              setupRequest: (request: autocannon.Request) => {
                const n = counters.get(route) ?? 0;
                counters.set(route, n + 1);
                return { ...request, body: JSON.stringify(body(context, n)) };
              },
            }
          : {}),
      },
    ],
  });
  await HostRecorder.drained();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  // Answers autocannon did not wait for still count towards the rate: they were served within `elapsed`.
  return { rps: result.requests.total / elapsed, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + HostRecorder.errors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function printTable(routes: BenchRoute[], samples: Map<BenchRoute, Sample[]>): void {
  const bare = samples.get(BARE)!;
  const floorOf = new Map(routes.filter((r) => r.floorOf).map((floor) => [floor.floorOf!, samples.get(floor)!]));
  const withFloors = floorOf.size > 0;
  console.log(`| route | req/s | ratio to the bare route |${withFloors ? ' share of its floor |' : ''} p50 | p99 | failed |`);
  console.log(`|---|---|---|${withFloors ? '---|' : ''}---|---|---|`);
  for (const route of routes) {
    const own = samples.get(route)!;
    // The ratio is taken within each round (the bare route ran moments before), then the median of the rounds.
    const ratio = median(own.map((s, i) => (bare[i].rps > 0 ? s.rps / bare[i].rps : 0)));
    const failed = own.reduce((sum, s) => sum + s.failed, 0);
    const digits = ratio >= 0.1 ? 2 : ratio >= 0.01 ? 3 : 4;
    const ms = (values: number[]) => `${median(values).toFixed(median(values) < 10 ? 1 : 0)} ms`;
    const rps = median(own.map((s) => s.rps));
    const floor = floorOf.get(route);
    // Within each round too: the route's rate over its floor's, measured right after it.
    const share = floor ? median(own.map((s, i) => (floor[i].rps > 0 ? s.rps / floor[i].rps : 0))).toFixed(2) : '';
    console.log(`| ${route.label} | ${(rps >= 10 ? Math.round(rps) : Number(rps.toFixed(1))).toLocaleString('en')} | ${route === BARE ? '1' : ratio.toFixed(digits)} |${withFloors ? ` ${share} |` : ''} ${ms(own.map((s) => s.p50))} | ${ms(own.map((s) => s.p99))} | ${failed} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/** A floor's statement as printed after the table: whole with its parameters under `BENCH_SQL=1`, to replay or EXPLAIN it. */
function statementLine(statement: CapturingLogger['captured'][number]): string {
  if (process.env.BENCH_SQL === '1') return `  ${statement.query}\n    parameters: ${JSON.stringify(statement.parameters)}`;
  return `  ${statement.query.slice(0, 160)}…`;
}

/** Starts profiling this process; the function returned stops and writes the profile to a file (`BENCH_PROFILE`). */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(profile));
  };
}
