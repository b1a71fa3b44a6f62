// The smoke suite run against a fixture host (see run.mjs): CRM calls a host's users make, through the host's own
// guard and global ValidationPipe, plus the host's own route. Usage: HOST_PIPE=<the host's> node smoke.mjs <base-url> [docs-json-out]
// Prints one line per check; exits 1 at the first failure, naming it, with the answer that broke it.
import { writeFile } from 'node:fs/promises';

const [base, docsOut] = process.argv.slice(2);
if (!base) throw new Error('usage: node smoke.mjs <base-url> [docs-json-out]');

const MANAGER = 'host-manager-token';
const AGENT = 'host-agent-token';
let checks = 0;

async function call(method, path, { token, body, headers = {}, form } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (form) init.body = form;
  else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** One check: the call answers `status`, and `verify` (if any) holds of the body. */
async function check(name, answer, status, verify = () => true) {
  const res = await answer;
  let ok = res.status === status;
  if (ok) {
    try {
      ok = verify(res.body) !== false;
    } catch (error) {
      ok = false;
      res.error = String(error);
    }
  }
  if (!ok) {
    console.log(`  FAIL ${name}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 600)}${res.error ? ` (${res.error})` : ''}`);
    process.exit(1);
  }
  checks++;
  console.log(`  ok   ${name}`);
  return res.body;
}

const validationFailed = (field, rule) => (body) => body.code === 'VALIDATION_FAILED' && body.errors.some((e) => e.field === field && (!rule || e.rule === rule));
const codes = (body) => body.items.map((s) => s.code);

// The host's own routes keep the host's own rules.
await check('host: public health route', call('GET', '/health'), 200);
await check('host: its guard refuses a caller without a token', call('GET', '/notes'), 401);
// What the host's own pipe (HOST_PIPE, as the host was started with) does on its own route.
const pipe = process.env.HOST_PIPE ?? 'strict';
if (pipe === 'strict' || pipe === 'forbid') {
  await check('host: its global pipe refuses an unknown field on its route', call('POST', '/notes', { token: AGENT, body: { text: 'hello', colour: 'red' } }), 400, (b) => String(b.message).includes('colour'));
} else {
  await check(`host: its route takes an unknown field under pipe ${pipe}`, call('POST', '/notes', { token: AGENT, body: { text: 'hello', colour: 'red' } }), 201);
}
if (pipe !== 'none') await check('host: its global pipe validates its own route', call('POST', '/notes', { token: AGENT, body: { text: 'x'.repeat(201) } }), 400, (b) => String(b.message).includes('text'));
await check('host: its own entity, migrated with CRM_MIGRATIONS', call('POST', '/notes', { token: AGENT, body: { text: 'hello' } }), 201, (b) => b.authorId === 'host-agent');

// Sources, as the host's users.
await check('crm: no host user, no CRM', call('GET', '/crm/sources'), 401);
await check('crm: the seeded catalogue for an agent', call('GET', '/crm/sources?limit=200', { token: AGENT }), 200, (b) => codes(b).includes('inbound_call'));
await check('crm: an agent may not create a source', call('POST', '/crm/sources', { token: AGENT, body: { code: 'fx_fair', name: 'Fixture Fair', type: 'event_exhibition' } }), 403);
const fair = await check('crm: a manager creates a source', call('POST', '/crm/sources', { token: MANAGER, body: { code: 'fx_fair', name: 'Fixture Fair', type: 'event_exhibition' } }), 201, (b) => b.code === 'fx_fair');
await check("crm: the CRM's error body for an unknown field, despite the host's pipe", call('POST', '/crm/sources', { token: MANAGER, body: { code: 'fx_x', name: 'X', type: 'website', colour: 'red' } }), 400, validationFailed('colour', 'unknownField'));
await check('crm: a number sent as a string is refused, not converted', call('POST', '/crm/sources', { token: MANAGER, body: { code: 'fx_y', name: 'Y', type: 'website', sequence: '7' } }), 400, validationFailed('sequence', 'isInt'));
await check('crm: archive the source', call('POST', `/crm/sources/${fair.id}/archive`, { token: MANAGER }), 200);
await check('crm: includeArchived=false leaves it out', call('GET', '/crm/sources?includeArchived=false&limit=200', { token: AGENT }), 200, (b) => !codes(b).includes('fx_fair'));
await check('crm: includeArchived=true lists it', call('GET', '/crm/sources?includeArchived=true&limit=200', { token: AGENT }), 200, (b) => codes(b).includes('fx_fair'));
const other = await check('crm: another source', call('POST', '/crm/sources', { token: MANAGER, body: { code: 'fx_other', name: 'Fixture Other', type: 'website' } }), 201);
await check('crm: merge?dryRun=false merges', call('POST', `/crm/sources/${other.id}/merge?dryRun=false`, { token: MANAGER, body: { intoId: 1 } }), 200, (b) => b.dryRun === false);
await check('crm: the merged source is archived', call('GET', `/crm/sources/${other.id}`, { token: AGENT }), 200, (b) => b.active === false);

// A lead with a new company and a new contact, in one transaction.
const directions = await check('crm: sales directions', call('GET', '/crm/sales-directions', { token: AGENT }), 200, (b) => b.items.length > 0);
const direction = directions.items[0].id;
const lead = await check(
  'crm: a lead with a new company and contact',
  call('POST', '/crm/leads', {
    token: AGENT,
    body: {
      name: 'Fixture vans',
      sourceId: 1,
      salesDirectionId: direction,
      newCompany: { name: 'Fixture Corp', website: 'https://fixture.example', tin: '7701234567' },
      newContact: { firstName: 'Fay', lastName: 'Fixture', email: 'fay@fixture.example' },
    },
  }),
  201,
  (b) => b.companyName === 'Fixture Corp' && b.contactName === 'Fay Fixture' && b.createdById === 'host-agent',
);
await check('crm: the lead is found by its company', call('GET', '/crm/leads?q=Fixture%20Corp', { token: AGENT }), 200, (b) => b.total === 1 && b.items[0].id === lead.id);
await check('crm: the company is in the directory', call('GET', '/crm/companies?q=fixture.example', { token: AGENT }), 200, (b) => b.items.some((c) => c.name === 'Fixture Corp'));

// Lead intake by API key, through the host's global guard.
const key = await check('crm: a manager issues an intake key', call('POST', '/crm/intake/keys', { token: MANAGER, body: { name: 'Fixture web form' } }), 201, (b) => /^ik_/.test(b.key));
await check('crm: intake without a key', call('POST', '/crm/intake/leads', { body: { source: 'inbound_call', lastName: 'Kim' } }), 401);
await check(
  'crm: an intake submission',
  call('POST', '/crm/intake/leads', { headers: { 'x-api-key': key.key }, body: { source: 'inbound_call', salesDirection: 'general', firstName: 'Jo', lastName: 'Kim', email: 'jo@kim.example' } }),
  200,
  (b) => b.status === 'created',
);
await check("crm: intake's error body for an unknown field", call('POST', '/crm/intake/leads', { headers: { 'x-api-key': key.key }, body: { source: 'inbound_call', lastName: 'Kim', colour: 'red' } }), 400, validationFailed('colour', 'unknownField'));

// A CSV import, uploaded as multipart and followed to its end.
const csv = ['name,source,first_name,last_name,email,sales_direction', 'CSV one,inbound_call,Ann,Able,ann@csv.example,general', 'CSV two,inbound_call,Bob,Baker,bob@csv.example,general'].join('\n');
const form = new FormData();
form.append('file', new Blob([csv], { type: 'text/csv' }), 'leads.csv');
const queued = await check('crm: a CSV import is queued', call('POST', '/crm/imports/csv', { token: MANAGER, form }), 202, (b) => b.kind === 'csv');
let run;
for (let i = 0; i < 300 && !['succeeded', 'failed'].includes(run?.status); i++) {
  if (i) await new Promise((resolve) => setTimeout(resolve, 100));
  run = (await call('GET', `/crm/imports/runs/${queued.id}`, { token: MANAGER })).body;
}
await check('crm: the CSV import succeeds with two leads', Promise.resolve({ status: 200, body: run }), 200, (b) => b.status === 'succeeded' && b.created === 2 && b.failed === 0);
await check('crm: the imported leads are listed', call('GET', '/crm/leads?q=csv.example', { token: AGENT }), 200, (b) => b.total === 2);

// The host's Swagger document, built the README's way.
const docs = await check('host: Swagger document defines the CRM schemes', call('GET', '/docs-json'), 200, (b) => b.components.securitySchemes['intake-api-key']?.name === 'X-Api-Key');
if (docsOut) await writeFile(docsOut, JSON.stringify(docs));

console.log(`SMOKE OK ${checks} checks`);
