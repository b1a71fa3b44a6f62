import fc from 'fast-check';
import request from 'supertest';
import { TestApp } from './harness/test-app';
import { DEEP, EDGE_NUMBERS, EDGE_STRINGS, mutationsOf, resolve, toJson, validValue, type OpenApiDocument, type Operation, type Schema } from './fuzz/openapi-arbitraries';
import { createCustomer, createLead, seedSalesFixtures } from './sales/sales-fixtures';

/*
 * The API fuzzed from its own OpenAPI document: for every operation of the booted host, against real seeded
 * records, requests the document calls valid and mutations of them (nulls, other types, every numeric and
 * length bound and a step past it, edge text, 10,000 levels of nesting, repeated and bracketed query params,
 * path ids no record has, odd header values, bodies of the wrong content type). The seed is fixed, so a run is repeatable;
 * README.md ("Tests") gives the seed and the number of requests per operation.
 *
 * It fails on any 5xx, any answer that names internals (a stack, SQL, a driver's error code, a table), any
 * 400 that does not name a field and a rule, and any 2xx for a mutation that breaks a rule the document states.
 */

/** The seed of every run (README.md, "Tests"). */
export const FUZZ_SEED = 20261202;
/** Requests sent to each operation (README.md, "Tests"). */
export const REQUESTS_PER_OPERATION = 32;

/** Words only internals contain. Table names are added from the entities. */
const INTERNALS = [
  /QueryFailedError|EntityNotFound|TypeORMError|TypeError|RangeError|ReferenceError|SyntaxError: /,
  /\bER_[A-Z_]{3,}|SQLITE_[A-Z_]+|ECONNREFUSED|errno/,
  /\bat [\w$.<>]+ \(|node_modules|\.[jt]s:\d+:\d+/,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]*\b(FROM|SET|VALUES|WHERE)\b/,
  /Data too long|Out of range value|Incorrect \w+ value|Deadlock found|constraint failed/i,
];

interface FuzzRequest {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The mutation breaks a rule the document states: a 2xx would be wrong. */
  breaks: boolean;
}

interface Tally {
  requests: number;
  byClass: Record<string, number>;
  failures: string[];
}

let t: TestApp;
let document: OpenApiDocument;
let tables: RegExp;
/** Real ids by the first path segment after /crm (`sources`, `leads`, ...), and for named path params. */
const ids = new Map<string, (number | string)[]>();
let intakeKey: string;
const tally: Tally = { requests: 0, byClass: {}, failures: [] };

beforeAll(async () => {
  t = await TestApp.start({ crm: { intake: { rateLimitPoints: 100_000 } } });
  document = (await t.as('anonymous').get('/docs-json').expect(200)).body;
  tables = new RegExp(`\\b(${t.dataSource.entityMetadatas.map((m) => m.tableName).join('|')})\\b`);
  await seed();
}, 120_000);
afterAll(async () => {
  const { requests, byClass } = tally;
  // The totals the closing note gives (requests, 4xx, 5xx per database).
  process.stdout.write(`fuzz ${t?.kind}: ${requests} requests, ${JSON.stringify(byClass)}\n`);
  await t?.close();
});

async function seed(): Promise<void> {
  const f = await seedSalesFixtures(t);
  const admin = t.as('admin');
  const created = async (url: string, body: object) => {
    const res = await admin.post(url, body);
    if (res.status !== 201) throw new Error(`seed ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as number;
  };
  const leads = [(await createLead(t, f, { name: 'Fuzz one' })).id, (await createLead(t, f, { name: 'Fuzz two' }, { status: 'in_progress' })).id];
  const customers = [(await createCustomer(t, { name: 'Fuzz Customer', sourceId: f.customerPortalId })).id];
  const opportunities = [await created('/crm/opportunities', { title: 'Fuzz deal', customerId: customers[0] }), await created('/crm/opportunities', { title: 'Lead deal', leadId: leads[1] })];
  const teams = [await created('/crm/teams', { name: 'Fuzz team', memberIds: ['agent'] })];
  const key = await admin.post('/crm/intake/keys', { name: 'Fuzz form', defaultSourceId: f.inboundCallId });
  intakeKey = key.body.key;
  const csv = await request(t.app.getHttpServer())
    .post('/crm/imports/csv')
    .set('Authorization', 'Bearer admin-token')
    .attach('file', Buffer.from('name,source,last_name,email\nFuzz,nowhere,Doe,not-an-email\n'), { filename: 'leads.csv', contentType: 'text/csv' });
  const list = (kind: string) => async () => [await created(`/crm/${kind}`, { name: `Fuzz ${kind}` })];
  ids.set('sources', [f.inboundCallId, f.referralId, f.customerPortalId, f.archivedId]);
  ids.set('people', ['agent', 'manager', 'owner1', 'gone']);
  ids.set('teams', teams);
  ids.set('companies', [f.acmeId, f.globexId, f.partnerCompanyId]);
  ids.set('contacts', [f.acmeContactId, f.globexContactId]);
  ids.set('sales-directions', [f.salesDirectionId]);
  for (const kind of ['products', 'marketing-campaigns', 'content-channels']) ids.set(kind, await list(kind)());
  ids.set('leads', leads);
  ids.set('customers', customers);
  ids.set('opportunities', opportunities);
  ids.set('intake', [key.body.id]);
  ids.set('imports', [csv.body.id ?? 1]);
  ids.set('runId', [csv.body.id ?? 1]);
}

/** The operations in an order that keeps records alive for the others: reads, writes, then what archives, revokes or deletes. */
function operations(): { method: string; path: string; operation: Operation }[] {
  const rank = (method: string, path: string) => (method === 'delete' ? 3 : /archive|revoke|merge|bulk-delete|convert/.test(path) ? 2 : method === 'get' ? 0 : 1);
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ method, path, operation })))
    .sort((a, b) => rank(a.method, a.path) - rank(b.method, b.path));
}

/** Stable per operation, so adding one operation does not change the requests of the others. */
function seedOf(route: string): number {
  let hash = FUZZ_SEED;
  for (const c of route) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
  return hash;
}

function idsFor(path: string, param: string): (number | string)[] {
  if (ids.has(param)) return ids.get(param) as (number | string)[];
  const segment = path.split('/')[2];
  return ids.get(segment) ?? [1];
}

const PATH_MUTATIONS = ['0', '-1', '1.5', '1e3', 'abc', '99999999999999999999', '2147483648', '%F0%9F%9A%97', '%00', '%ED%A0%80', ' 1', '0x10', 'x'.repeat(2000)];

/** Header values (Latin-1 only: HTTP carries nothing else) for If-Match, Accept-Language, Idempotency-Key. */
const HEADER_MUTATIONS = ['', '*', 'abc', '-1', '0', '1.5', '1e3', '99999999999999999999', '"2147483648"', 'W/"1"', '"1", "2"', 'x'.repeat(8000), '\u00ff\u00fe', 'en;q=abc', '*;q=0, xx-YY-ZZ-1234567890;q=1.5', ',,,;;;', 'fr-'.repeat(500)];

function queryMutations(schema: Schema): { value: string | string[]; breaks: boolean }[] {
  const numeric = schema.type === 'number' || schema.type === 'integer';
  const out: { value: string | string[]; breaks: boolean }[] = [
    { value: '', breaks: false },
    { value: ['1', '2'], breaks: false },
    { value: 'x'.repeat(5000), breaks: numeric || schema.maxLength !== undefined || !!schema.enum },
    ...EDGE_STRINGS.map((s) => ({ value: s, breaks: false })),
    ...EDGE_NUMBERS.map((n) => ({ value: String(n), breaks: false })),
    { value: '9223372036854775808', breaks: numeric },
    { value: '99999999999999999999', breaks: numeric },
  ];
  if (numeric && schema.maximum !== undefined) out.push({ value: String(schema.maximum + 1), breaks: true });
  if (numeric && schema.minimum !== undefined) out.push({ value: String(schema.minimum - 1), breaks: true });
  if (schema.maxLength !== undefined) out.push({ value: '\u2764\uFE0F'.repeat(Math.ceil((schema.maxLength + 1) / 2)), breaks: true });
  if (schema.format) for (const d of ['2026-02-30', '2026-02-29', '2026-W05', '2026-060', '0000-01-01', '2026-01-01T24:00:00Z']) out.push({ value: d, breaks: true });
  return out;
}

function encodeQuery(entries: [string, string | string[]][]): string {
  const parts = entries.flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(key)}=${encodeUri(v)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** encodeURIComponent, except that a lone surrogate goes as the bytes a careless client sends (CESU-8), not a throw. */
function encodeUri(value: string): string {
  return [...value].map((c) => (/^[\uD800-\uDFFF]$/.test(c) ? Buffer.from(c, 'ucs2').reduce((s, b) => s + `%${b.toString(16).padStart(2, '0')}`, '') : encodeURIComponent(c))).join('');
}

/** The arbitrary of every request this operation gets: valid ones, then one mutation at a time. */
function requestsOf(method: string, path: string, operation: Operation, only?: 'valid'): fc.Arbitrary<FuzzRequest> {
  const params = (operation.parameters ?? []).filter((p) => p.in !== 'header');
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const content = operation.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema ? resolve(document, content['application/json'].schema) : undefined;
  const multipart = 'multipart/form-data' in content;
  const headers: Record<string, string> = operation.security?.some((s) => 'intake-api-key' in s) ? { 'X-Api-Key': intakeKey } : { Authorization: 'Bearer admin-token' };

  const pathValues = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.constantFrom(...idsFor(path, p.name))])));
  const queryValues = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, validValue(document, p.schema, p.name).map((v) => (v === null ? undefined : String(v)))])), { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) });
  const bodyValue = jsonSchema ? validValue(document, jsonSchema) : fc.constant(undefined);

  const build = (label: string, pathV: Record<string, unknown>, queryV: Record<string, string | string[] | undefined>, body: unknown, breaks: boolean, extra: Partial<FuzzRequest> = {}): FuzzRequest => {
    const url = '/' + path.split('/').slice(1).map((segment) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      return name ? String(pathV[name] ?? '1') : segment;
    }).join('/');
    const query = encodeQuery(Object.entries(queryV).filter((e): e is [string, string | string[]] => e[1] !== undefined));
    const request: FuzzRequest = { label, method, url: url + query, headers: { ...headers }, breaks, ...extra };
    if (body !== undefined && !extra.body) {
      request.body = toJson(body);
      request.headers['Content-Type'] = 'application/json';
    }
    if (multipart && !extra.body && body === undefined) {
      Object.assign(request, multipartCsv(`name,source,email\nFuzz ${label.length},inbound_call,a@b.example\n`));
      request.headers = { ...headers, ...request.headers };
    }
    return request;
  };

  const valid = fc.tuple(pathValues, queryValues, bodyValue).map(([p, q, b]) => build('valid', p, q, b, false));
  if (only === 'valid') return valid;
  const mutated: fc.Arbitrary<FuzzRequest>[] = [];
  if (pathParams.length) {
    mutated.push(fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(...pathParams), fc.constantFrom(...PATH_MUTATIONS)).map(([p, q, b, param, value]) => build(`path ${param.name}=${value.slice(0, 30)}`, { ...p, [param.name]: value }, q, b, false)));
  }
  if (queryParams.length) {
    mutated.push(
      fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(...queryParams)).chain(([p, q, b, param]) =>
        fc.constantFrom(...queryMutations(resolve(document, param.schema))).map((m) => build(`query ${param.name}=${JSON.stringify(m.value).slice(0, 40)}`, p, { ...q, [param.name]: m.value }, b, m.breaks)),
      ),
      fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(...queryParams)).map(([p, q, b, param]) => build(`query ${param.name}[]`, p, { ...q, [`${param.name}[]`]: '1', [`${param.name}[a]`]: '2' }, b, false)),
    );
  }
  const headerParams = (operation.parameters ?? []).filter((p) => p.in === 'header');
  if (headerParams.length) {
    mutated.push(
      fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(...headerParams), fc.constantFrom(...HEADER_MUTATIONS)).map(([p, q, b, param, value]) => {
        const r = build(`header ${param.name}: ${value.slice(0, 30)}`, p, q, b, false);
        r.headers[param.name] = value;
        return r;
      }),
    );
  }
  // Refused where the operation takes a query; ignored (as most APIs do) where it takes none.
  mutated.push(fc.tuple(pathValues, queryValues, bodyValue).map(([p, q, b]) => build('unknown query parameter', p, { ...q, zzUnknown: '1' }, b, queryParams.length > 0)));
  if (jsonSchema) {
    const fields = propertyPaths(jsonSchema);
    if (fields.length) {
      mutated.push(
        fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(...fields)).chain(([p, q, b, field]) =>
          mutationsOf(document, field.schema).map((m) => build(`body ${field.path.join('.')}: ${m.label}`, p, q, setPath(b, field.path, m.value === DEEP ? DEEP : m.value), m.breaks && field.enforced)),
        ),
      );
    }
    mutated.push(
      fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom<[string, unknown, boolean]>(
        ['a body of 10,000 nested arrays', DEEP, true],
        ['an array body', [], true],
        ['a number body', 42, true],
        ['a string body', 'text', true],
        ['null body', null, false],
        ['unknown body field', 'unknown', true],
        ['__proto__ field', 'proto', false],
      )).map(([p, q, b, [label, value]]) => {
        if (value === 'unknown') return build(label, p, q, { ...(b as object), zzUnknown: 1 }, true);
        if (value === 'proto') return build(label, p, q, undefined, false, { body: `{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}`, headers: { ...headers, 'Content-Type': 'application/json' } });
        return build(label, p, q, value, label !== 'null body');
      }),
      fc.tuple(pathValues, queryValues, bodyValue, fc.constantFrom(
        ['text/plain', (b: unknown) => toJson(b)],
        ['application/x-www-form-urlencoded', () => 'name=x&name=y&sourceId[]=1&a[b][c]=d'],
        ['application/xml', () => '<lead><name>x</name></lead>'],
        ['application/json', () => '{"name": "unterminated'],
        ['application/json', () => '{"name": 1, "name": 2}'],
        ['application/json; charset=utf-16', (b: unknown) => toJson(b)],
        ['multipart/form-data', () => 'no boundary'],
      ) as fc.Arbitrary<[string, (b: unknown) => string]>).map(([p, q, b, [type, body]]) => build(`content type ${type}`, p, q, undefined, false, { body: body(b), headers: { ...headers, 'Content-Type': type } })),
    );
  }
  if (multipart) {
    mutated.push(
      fc.tuple(pathValues, queryValues, fc.constantFrom(
        multipartCsv('', 'file'),
        multipartCsv('a;b;c\n1;2;3\n'),
        multipartCsv('name,source\n"unterminated,web\n'),
        multipartCsv('\uFEFFname,source\nx,y\n'),
        multipartCsv('name,source\nx,y\n', 'other'),
        { body: 'no boundary', headers: { 'Content-Type': 'multipart/form-data' } },
        { body: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\ncut short', headers: { 'Content-Type': 'multipart/form-data; boundary=b' } },
        { body: toJson({ file: 'x' }), headers: { 'Content-Type': 'application/json' } },
      )).map(([p, q, form]) => build('multipart mutation', p, q, undefined, false, { ...form, headers: { ...headers, ...form.headers } })),
    );
  }
  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: fc.oneof(...mutated) });
}

/**
 * Besides the sampled requests, `null` for each body field once (a valid body otherwise): the sample may miss
 * one of a wide DTO's fields, and a null the document does not allow must be refused for every one of them.
 */
function nullPerField(method: string, path: string, operation: Operation): FuzzRequest[] {
  const schema = operation.requestBody?.content['application/json']?.schema;
  if (!schema) return [];
  const fields = propertyPaths(resolve(document, schema)).filter((field) => field.path.length === 1);
  const base = fc.sample(requestsOf(method, path, operation, 'valid'), { seed: seedOf(`${method} ${path} null`), numRuns: 1 })[0];
  const body = base.body === undefined ? {} : JSON.parse(base.body.toString());
  return fields.map((field) => ({
    ...base,
    label: `body ${field.path[0]}: null (one per field)`,
    body: toJson({ ...body, [field.path[0]]: null }),
    breaks: !resolve(document, field.schema).nullable,
  }));
}

function multipartCsv(csv: string, field = 'file'): { body: Buffer; headers: Record<string, string> } {
  const boundary = 'fuzzBoundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

interface FieldPath {
  path: string[];
  schema: Schema;
  /** The document's rules hold for it at this place (a field of a nested object is only checked when that object is sent). */
  enforced: boolean;
}

/** Every property of the body, and of the objects nested one level in it. */
function propertyPaths(schema: Schema): FieldPath[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, raw]) => {
    const child = resolve(document, raw);
    const nested = Object.entries(child.properties ?? {}).map(([inner, s]) => ({ path: [key, inner], schema: s, enforced: true }));
    return [{ path: [key], schema: raw, enforced: true }, ...nested];
  });
}

function setPath(body: unknown, path: string[], value: unknown): unknown {
  const root: Record<string, unknown> = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : {};
  if (path.length === 1) return { ...root, [path[0]]: value };
  const inner = root[path[0]];
  return { ...root, [path[0]]: { ...(inner && typeof inner === 'object' ? inner : {}), [path[1]]: value } };
}

async function send(r: FuzzRequest): Promise<{ status: number; text: string; body: unknown }> {
  let test = request(t.app.getHttpServer())[r.method as 'get'](r.url);
  for (const [name, value] of Object.entries(r.headers)) test = test.set(name, value);
  const res = await (r.body !== undefined ? test.send(r.body) : test);
  return { status: res.status, text: res.text ?? '', body: res.body };
}

function problemsOf(r: FuzzRequest, res: { status: number; text: string; body: unknown }, documented: Set<string>): string[] {
  const problems: string[] = [];
  // A 5xx the operation documents (the distributor sync's 503 when no distributor is configured) is an answer, not a failure.
  if (res.status >= 500 && !documented.has(String(res.status))) problems.push(`answered ${res.status}`);
  const leaked = [...INTERNALS, tables].find((pattern) => pattern.test(res.text));
  if (leaked) problems.push(`names internals (${leaked.source.slice(0, 40)})`);
  const error = res.body as { code?: string; errors?: { field?: string; rule?: string }[] };
  if (res.status === 400 && error?.code === 'VALIDATION_FAILED' && !(error.errors?.length && error.errors.every((e) => e.field && e.rule))) {
    problems.push('a 400 that does not name the field and the rule');
  }
  if (r.breaks && res.status < 300) problems.push(`accepted (${res.status}) what the document refuses`);
  return problems;
}

describe('The API under generated input (e2e)', () => {
  it(`answers every operation's ${REQUESTS_PER_OPERATION} generated requests (and a null per body field) without a 5xx or a word about its internals`, async () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(90);
    for (const { method, path, operation } of all) {
      const route = `${method.toUpperCase()} ${path}`;
      const requests = [...fc.sample(requestsOf(method, path, operation), { seed: seedOf(route), numRuns: REQUESTS_PER_OPERATION }), ...nullPerField(method, path, operation)];
      for (const r of requests) {
        const res = await send(r);
        tally.requests++;
        const statusClass = `${Math.floor(res.status / 100)}xx`;
        tally.byClass[statusClass] = (tally.byClass[statusClass] ?? 0) + 1;
        for (const problem of problemsOf(r, res, new Set(Object.keys(operation.responses ?? {})))) {
          tally.failures.push(`${route} [${r.label}] ${r.method.toUpperCase()} ${r.url.slice(0, 160)}: ${problem}: ${res.text.slice(0, 300)}`);
        }
      }
    }
    expect(tally.failures).toEqual([]);
  }, 600_000);
});
