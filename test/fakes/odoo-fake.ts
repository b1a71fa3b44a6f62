import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A record as the fake stores it; Odoo sends `false` for empty fields. */
export interface FakeOdooRecord {
  id: number;
  write_date: string;
  [field: string]: unknown;
}

/** How the fake misbehaves: drop the connection, hang, answer 503, answer a non-JSON body or a JSON body of the wrong shape. */
export type OdooFailure = 'down' | 'timeout' | 'unavailable' | 'garbage' | 'wrong-shape';

export interface OdooFakeOptions {
  /** Records generated per model. Default 2000. */
  recordsPerModel?: number;
  /** Records sharing each `write_date` (ties). Default 7. */
  tiesPerSecond?: number;
  /** Every n-th record repeats the email and phone of the one before (the same person asking twice). 0: never. */
  duplicateEvery?: number;
  models?: string[];
  /** The port to listen on (loopback). Default: any free port. */
  port?: number;
}

export const FAKE_ODOO = { database: 'distributor', login: 'sync@distributor.example', password: 'odoo-pass', apiKey: 'fake-api-key-0123456789', uid: 7 } as const;
export const FAKE_ODOO_MODELS = ['cheryweb.quotation', 'cherywebsite.test.drive'];

const VEHICLES = ['Tiggo 4 Pro', 'Tiggo 7 Pro Max', 'Tiggo 8 Pro', 'Arrizo 8', 'Tiggo 9'];
const CITIES = ['Moscow', 'Kazan', 'Samara', false];
const BASE_TIME = Date.UTC(2026, 0, 1, 8, 0, 0);

/**
 * A small Odoo look-alike on loopback for the distributor sync: JSON-RPC (`/jsonrpc`, common.authenticate
 * and object.execute_kw) and JSON-2 (`/json/2/<model>/search_read`, bearer key), with Odoo's request,
 * result and error shapes, real domain/order/limit handling, and switchable failures.
 */
export class OdooFake {
  readonly models = new Map<string, FakeOdooRecord[]>();
  /** search_read calls served (both protocols). */
  searchReads = 0;
  requests = 0;
  private failure: { mode: OdooFailure; remaining: number } | null = null;
  private clock = 0;
  /** Records sorted in the sync's order, by model, until a record changes. */
  private readonly sorted = new Map<string, FakeOdooRecord[]>();
  private readonly server: Server;

  private constructor(options: OdooFakeOptions) {
    const perModel = options.recordsPerModel ?? 2000;
    const ties = options.tiesPerSecond ?? 7;
    for (const [index, model] of (options.models ?? FAKE_ODOO_MODELS).entries()) {
      this.models.set(model, generateRecords(model, index, perModel, ties, options.duplicateEvery ?? 0));
    }
    this.clock = Math.ceil(perModel / ties) + 10;
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  static async start(options: OdooFakeOptions = {}): Promise<OdooFake> {
    const fake = new OdooFake(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A model's records; the caller may change them, so the sorted copies are dropped. */
  records(model: string): FakeOdooRecord[] {
    const records = this.models.get(model);
    if (!records) throw new Error(`The fake has no model ${model}`);
    this.sorted.clear();
    return records;
  }

  /** Changes a record as a user would in Odoo: its `write_date` moves to "now" (later than any before). */
  edit(model: string, id: number, changes: Record<string, unknown>): FakeOdooRecord {
    const record = this.records(model).find((r) => r.id === id);
    if (!record) throw new Error(`No ${model} ${id}`);
    Object.assign(record, changes, { write_date: this.tick() });
    return record;
  }

  /** Adds records that all share one new `write_date`. */
  addTied(model: string, count: number): FakeOdooRecord[] {
    const records = this.records(model);
    const writeDate = this.tick();
    const added = Array.from({ length: count }, (_, i) => ({ ...fakeFields(model, records.length + i + 1), id: records.length + i + 1, write_date: writeDate }));
    records.push(...added);
    return added;
  }

  /**
   * The sync's query (records after a `write_date, id` position, in that order) answered the way
   * Odoo's database answers it from an index: a range of the records kept sorted, found by binary
   * search. A full scan and sort per page would make the fake, not the importer, the cost of a
   * large benchmark. `null` for any other query.
   */
  private afterPosition(model: string, order: string, domain: unknown[]): FakeOdooRecord[] | null {
    if (order.replace(/\s+/g, ' ').toLowerCase() !== 'write_date asc, id asc') return null;
    const position = cursorOf(domain);
    if (position === undefined) return null;
    let sorted = this.sorted.get(model);
    if (!sorted) {
      sorted = [...(this.models.get(model) ?? [])].sort(comparator(order));
      this.sorted.set(model, sorted);
    }
    if (position === null) return sorted;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const record = sorted[middle];
      const after = record.write_date > position.writeDate || (record.write_date === position.writeDate && (record.id as number) > position.lastId);
      if (after) high = middle;
      else low = middle + 1;
    }
    return sorted.slice(low);
  }

  /** The next `times` requests (default: all of them) fail this way. */
  fail(mode: OdooFailure, times = Number.POSITIVE_INFINITY): void {
    this.failure = { mode, remaining: times };
  }

  recover(): void {
    this.failure = null;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tick(): string {
    this.clock += 1;
    return odooDatetime(BASE_TIME + this.clock * 1000);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    const body = await readBody(request);
    if (this.failure && this.failure.remaining > 0) {
      this.failure.remaining -= 1;
      return this.misbehave(this.failure.mode, request, response);
    }
    if (request.method === 'POST' && request.url === '/jsonrpc') return this.jsonRpc(body, response);
    const json2 = request.method === 'POST' ? /^\/json\/2\/([^/]+)\/([^/?]+)$/.exec(request.url ?? '') : null;
    if (json2) return this.json2(decodeURIComponent(json2[1]), json2[2], request, body, response);
    send(response, 404, { 'Content-Type': 'text/html' }, '<h1>Not Found</h1>');
  }

  private misbehave(mode: OdooFailure, request: IncomingMessage, response: ServerResponse): void {
    if (mode === 'down') return void request.socket.destroy();
    if (mode === 'timeout') return; // never answers; close() drops the socket
    if (mode === 'unavailable') return send(response, 503, { 'Content-Type': 'text/html' }, '<html><body><h1>503 Service Unavailable</h1></body></html>');
    if (mode === 'garbage') return send(response, 200, { 'Content-Type': 'text/html' }, '<html><body>Odoo is being upgraded…</body></html>');
    const shape = request.url === '/jsonrpc' ? { jsonrpc: '2.0', id: null, result: { unexpected: true } } : { unexpected: true };
    send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify(shape));
  }

  private jsonRpc(raw: string, response: ServerResponse): void {
    const call = parse(raw);
    const id = call?.id ?? null;
    const reply = (payload: object) => send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id, ...payload }));
    if (!call || call.method !== 'call' || typeof call.params !== 'object') return reply({ error: rpcError('werkzeug.exceptions.BadRequest', 'Invalid JSON-RPC request') });
    const { service, method, args } = call.params as { service: string; method: string; args: unknown[] };
    if (service === 'common' && method === 'version') return reply({ result: { server_version: '17.0', protocol_version: 1 } });
    if (service === 'common' && method === 'authenticate') {
      const [db, login, password] = args;
      const ok = db === FAKE_ODOO.database && login === FAKE_ODOO.login && (password === FAKE_ODOO.password || password === FAKE_ODOO.apiKey);
      return reply({ result: ok ? FAKE_ODOO.uid : false });
    }
    if (service !== 'object' || method !== 'execute_kw') return reply({ error: rpcError('builtins.NameError', `${service}.${method} is not available`) });
    const [db, uid, password, model, modelMethod, positional, kwargs] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (db !== FAKE_ODOO.database || uid !== FAKE_ODOO.uid || (password !== FAKE_ODOO.password && password !== FAKE_ODOO.apiKey)) {
      return reply({ error: rpcError('odoo.exceptions.AccessDenied', 'Access Denied') });
    }
    if (!this.models.has(model)) return reply({ error: rpcError('builtins.KeyError', `'${model}'`) });
    if (modelMethod !== 'search_read') return reply({ error: rpcError('builtins.AttributeError', `The method '${modelMethod}' does not exist on the model '${model}'`) });
    reply({ result: this.searchRead(model, { domain: positional?.[0], ...kwargs }) });
  }

  private json2(model: string, method: string, request: IncomingMessage, raw: string, response: ServerResponse): void {
    const fail = (status: number, name: string, message: string) =>
      send(response, status, { 'Content-Type': 'application/json' }, JSON.stringify({ name, message, arguments: [message, status], context: {}, debug: `Traceback (most recent call last):\n${name}: ${message}\n` }));
    if (request.headers.authorization !== `bearer ${FAKE_ODOO.apiKey}`) return fail(401, 'werkzeug.exceptions.Unauthorized', 'Invalid apikey');
    if (request.headers['x-odoo-database'] !== FAKE_ODOO.database) return fail(404, 'werkzeug.exceptions.NotFound', 'Database not found');
    if (!this.models.has(model)) return fail(404, 'werkzeug.exceptions.NotFound', `Model ${model} not found`);
    if (method !== 'search_read') return fail(404, 'werkzeug.exceptions.NotFound', `Method ${method} not found`);
    const params = parse(raw);
    if (!params) return fail(400, 'werkzeug.exceptions.BadRequest', 'Invalid JSON data');
    send(response, 200, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(this.searchRead(model, params)));
  }

  private searchRead(model: string, params: Record<string, unknown>): Record<string, unknown>[] {
    this.searchReads += 1;
    const domain = (params.domain as unknown[]) ?? [];
    const order = String(params.order ?? 'id asc');
    const matching = this.afterPosition(model, order, domain) ?? this.records(model).filter((record) => matches(domain, record)).sort(comparator(order));
    const offset = Number(params.offset ?? 0);
    const limit = params.limit ? Number(params.limit) : matching.length;
    const fields = Array.isArray(params.fields) && params.fields.length ? ['id', ...(params.fields as string[])] : null;
    return matching.slice(offset, offset + limit).map((record) => (fields ? Object.fromEntries(fields.map((f) => [f, record[f] ?? false])) : { ...record }));
  }
}

function generateRecords(model: string, modelIndex: number, count: number, ties: number, duplicateEvery: number): FakeOdooRecord[] {
  // A deterministic shuffle, so id order and write_date order differ as they do after edits.
  const slots = Array.from({ length: count }, (_, i) => i);
  let seed = 12345 + modelIndex;
  for (let i = slots.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  const records: FakeOdooRecord[] = slots.map((slot, i) => ({ ...fakeFields(model, i + 1), id: i + 1, write_date: odooDatetime(BASE_TIME + Math.floor(slot / ties) * 1000) }));
  if (duplicateEvery > 0) {
    for (let i = duplicateEvery; i < records.length; i += duplicateEvery) {
      records[i].email_from = records[i - 1].email_from;
      records[i].phone = records[i - 1].phone;
      records[i].partner_name = records[i - 1].partner_name;
      records[i].website = records[i - 1].website;
      records[i].vat = records[i - 1].vat;
    }
  }
  return records;
}

function fakeFields(model: string, id: number): Record<string, unknown> {
  const prefix = model.includes('test') ? 'TD' : 'Q';
  const person = `${model.includes('test') ? 't' : 'q'}${id}`;
  return {
    name: `${prefix}${String(id).padStart(6, '0')}`,
    partner_name: id % 3 === 0 ? false : `Fleet ${person} LLC`,
    contact_name: `Client ${person}`,
    email_from: `client.${person}@mail.example`,
    phone: `+7 9${model.includes('test') ? 2 : 1}${String(id).padStart(8, '0')}`,
    city: CITIES[id % CITIES.length],
    website: id % 3 === 0 ? false : `https://fleet-${person}.example`,
    vat: id % 3 === 0 ? false : String(7700000000 + id * 2 + (model.includes('test') ? 1 : 0)),
    vehicle_model: [id % VEHICLES.length + 1, VEHICLES[id % VEHICLES.length]],
  };
}

function odooDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The position of the sync's domain (`[]`: from the start, `null`; the after-position domain: its
 * position), or `undefined` for any other domain.
 */
function cursorOf(domain: unknown[]): { writeDate: string; lastId: number } | null | undefined {
  if (domain.length === 0) return null;
  const [or, later, and, same, afterId] = domain as [unknown, unknown[], unknown, unknown[], unknown[]];
  const leaf = (term: unknown[], field: string, operator: string) => Array.isArray(term) && term[0] === field && term[1] === operator;
  if (domain.length !== 5 || or !== '|' || and !== '&' || !leaf(later, 'write_date', '>') || !leaf(same, 'write_date', '=') || !leaf(afterId, 'id', '>')) return undefined;
  if (later[2] !== same[2] || typeof later[2] !== 'string' || typeof afterId[2] !== 'number') return undefined;
  return { writeDate: later[2], lastId: afterId[2] };
}

/** Evaluates an Odoo prefix-notation domain. */
function matches(domain: unknown[], record: FakeOdooRecord): boolean {
  let position = 0;
  const next = (): boolean => {
    const term = domain[position++];
    if (term === '|') return [next(), next()].some(Boolean);
    if (term === '&') return [next(), next()].every(Boolean);
    if (term === '!') return !next();
    const [field, operator, value] = term as [string, string, unknown];
    return compareLeaf(record[field], operator, value);
  };
  let result = true;
  while (position < domain.length) result = next() && result;
  return result;
}

function compareLeaf(actual: unknown, operator: string, value: unknown): boolean {
  const a = actual as string | number;
  const v = value as string | number;
  switch (operator) {
    case '=': return a === v;
    case '!=': return a !== v;
    case '>': return a > v;
    case '>=': return a >= v;
    case '<': return a < v;
    case '<=': return a <= v;
    case 'in': return (value as unknown[]).includes(actual);
    default: throw new Error(`The fake does not know the operator ${operator}`);
  }
}

function comparator(order: string): (a: FakeOdooRecord, b: FakeOdooRecord) => number {
  const keys = order.split(',').map((part) => part.trim().split(/\s+/)).map(([field, direction]) => ({ field, sign: direction?.toLowerCase() === 'desc' ? -1 : 1 }));
  return (a, b) => {
    for (const { field, sign } of keys) {
      if (a[field] === b[field]) continue;
      return (a[field] as string | number) < (b[field] as string | number) ? -sign : sign;
    }
    return 0;
  };
}

function rpcError(name: string, message: string): object {
  return { code: 200, message: 'Odoo Server Error', data: { name, debug: `Traceback (most recent call last):\n${name}: ${message}\n`, message, arguments: [message], context: {} } };
}

function parse(raw: string): Record<string, any> | null {
  try {
    const value = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, headers);
  response.end(body);
}
