import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock, FakeOdooRecord, FakeOdooStore, FakeOdooTransaction, OdooValueError, timestampText } from './odoo-fake-store';

export { FakeOdooTransaction, odooDatetimeString } from './odoo-fake-store';
export type { FakeOdooRecord } from './odoo-fake-store';

/** How the fake's transport misbehaves: drop the connection, hang, answer 503, a non-JSON body or JSON of the wrong shape. */
export type OdooFailure = 'down' | 'timeout' | 'unavailable' | 'garbage' | 'wrong-shape';

/**
 * What Odoo itself refuses, each with the exception Odoo raises and how each protocol carries it
 * (see `REFUSALS`).
 */
export type OdooRefusal = 'access' | 'renamed-field' | 'user-error' | 'revoked-key' | 'unknown-model' | 'bad-arguments' | 'server-error';

export interface OdooFakeOptions {
  /** Records generated per model. Default 2000. */
  recordsPerModel?: number;
  /** Records per second of generated history (written by transactions of one to three records). Default 7. */
  tiesPerSecond?: number;
  /** Every n-th record repeats the email, phone and company of the one before (the same person asking twice). 0: never. */
  duplicateEvery?: number;
  models?: string[];
  /** The port to listen on (loopback). Default: any free port. */
  port?: number;
  /**
   * The Odoo major version answered as. 17: JSON-RPC errors carry `code: 200` and there is no JSON-2;
   * 18: `code: 0`, no JSON-2; 19: JSON-2, and `/jsonrpc` answers 404 to `object` and `common.login`/`authenticate`
   * unless `deprecatedRpc`. Default 19.
   */
  version?: 17 | 18 | 19;
  /** Odoo 19's `rpc.use_deprecated_services` system parameter (addons/rpc/controllers/jsonrpc.py). Default false. */
  deprecatedRpc?: boolean;
  /** Milliseconds every `search_read` takes to answer. Default 0. */
  latencyMs?: number;
}

export const FAKE_ODOO = { database: 'distributor', login: 'sync@distributor.example', password: 'odoo-pass', apiKey: 'fake-api-key-0123456789', uid: 7 } as const;
export const FAKE_ODOO_MODELS = ['cheryweb.quotation', 'cherywebsite.test.drive'];

/** The fields each fake model has (anything else in `fields` or a domain is Odoo's `ValueError`). */
const MODEL_FIELDS = ['id', 'write_date', 'create_date', 'name', 'partner_name', 'contact_name', 'email_from', 'phone', 'city', 'website', 'vat', 'vehicle_model'];

const VEHICLES = ['Tiggo 4 Pro', 'Tiggo 7 Pro Max', 'Tiggo 8 Pro', 'Arrizo 8', 'Tiggo 9'];
const CITIES = ['Moscow', 'Kazan', 'Samara', false];
/** Generated history starts here; the fake's clock starts an hour after its last second. */
const HISTORY_START = Date.UTC(2026, 0, 1, 8, 0, 0) * 1000;

/** werkzeug.exceptions.NotFound.description, what Odoo sends for a 404. */
const NOT_FOUND_DESCRIPTION = 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';

interface RefusalShape {
  /** JSON-2: the status `Json2Dispatcher.handle_error` answers (odoo/http.py), from the exception's `http_status`. */
  status: number;
  /** The exception's `module.name`, as `serialize_exception` writes it. */
  json2Name: string;
  rpcName: string;
  message: (model: string) => string;
}

/**
 * Odoo's refusals. JSON-2 (odoo/http.py `Json2Dispatcher.handle_error`): a `UserError` answers its
 * `http_status` (odoo/exceptions.py: `UserError` 422, `AccessError` 403), a werkzeug `HTTPException`
 * its code with `message` = its description and `arguments` = [description, code], anything else 500;
 * the body is always `serialize_exception`. JSON-RPC (`JsonRPCDispatcher.handle_error`) answers HTTP
 * 200 with `{ code, message: "Odoo Server Error", data: serialize_exception }`.
 */
const REFUSALS: Record<OdooRefusal, RefusalShape> = {
  access: {
    status: 403,
    json2Name: 'odoo.exceptions.AccessError',
    rpcName: 'odoo.exceptions.AccessError',
    message: (model) => `You are not allowed to access '${model}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- Sales/Administrator`,
  },
  // A field renamed or removed on Odoo's side: `read` raises ValueError (not a UserError): 500.
  'renamed-field': { status: 500, json2Name: 'builtins.ValueError', rpcName: 'builtins.ValueError', message: (model) => `Invalid field 'vehicle_model' on model '${model}'` },
  'user-error': { status: 422, json2Name: 'odoo.exceptions.UserError', rpcName: 'odoo.exceptions.UserError', message: () => 'The quotation module is being upgraded; try again later.' },
  // ir.http `_auth_method_bearer`: Unauthorized("Invalid apikey", www_authenticate=bearer); over JSON-RPC
  // odoo/service/model.py `dispatch` → security.check raises AccessDenied.
  'revoked-key': { status: 401, json2Name: 'werkzeug.exceptions.Unauthorized', rpcName: 'odoo.exceptions.AccessDenied', message: () => 'Invalid apikey' },
  // addons/rpc/controllers/json2.py: NotFound(f"the model {model!r} does not exist"); over JSON-RPC
  // odoo/service/model.py `execute_cr`: UserError("Object %s doesn't exist").
  'unknown-model': { status: 404, json2Name: 'werkzeug.exceptions.NotFound', rpcName: 'odoo.exceptions.UserError', message: (model) => `the model '${model}' does not exist` },
  // json2.py: `signature.bind(...)` TypeError → UnprocessableEntity(exc.args[0]).
  'bad-arguments': { status: 422, json2Name: 'werkzeug.exceptions.UnprocessableEntity', rpcName: 'builtins.TypeError', message: () => "BaseModel.search_read() got an unexpected keyword argument 'order_by'" },
  'server-error': { status: 500, json2Name: 'psycopg2.errors.UndefinedTable', rpcName: 'psycopg2.errors.UndefinedTable', message: () => 'relation "cheryweb_quotation" does not exist' },
};

/**
 * A small Odoo look-alike on loopback for the distributor sync, written from Odoo's own source:
 * JSON-RPC (`/jsonrpc`: common.login/authenticate, object.execute_kw) and JSON-2
 * (`/json/2/<model>/<method>`, bearer API key), with their result and error shapes, a `Date`
 * header from Odoo's clock, and a store that keeps microsecond `write_date`s set at each
 * transaction's start (see odoo-fake-store.ts). Transport failures and Odoo's refusals can be
 * switched on, from the n-th `search_read` on.
 */
export class OdooFake {
  /** search_read calls served (both protocols). */
  searchReads = 0;
  requests = 0;
  readonly version: 17 | 18 | 19;
  private readonly store: FakeOdooStore;
  private readonly fields = new Map<string, Set<string>>();
  private failure: { mode: OdooFailure; remaining: number } | null = null;
  private refusal: { kind: OdooRefusal; after: number; remaining: number } | null = null;
  private readonly server: Server;

  private constructor(private readonly options: OdooFakeOptions) {
    this.version = options.version ?? 19;
    const perModel = options.recordsPerModel ?? 2000;
    const ties = options.tiesPerSecond ?? 7;
    const seconds = Math.ceil(perModel / ties);
    this.store = new FakeOdooStore(new FakeClock(HISTORY_START + (seconds + 3600) * 1_000_000));
    for (const [index, model] of (options.models ?? FAKE_ODOO_MODELS).entries()) {
      this.fields.set(model, new Set(MODEL_FIELDS));
      this.store.models.set(model, this.generate(model, index, perModel, ties, options.duplicateEvery ?? 0));
    }
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

  /** Every model's committed records (the caller may change them in place; call `changed()` after). */
  get models(): ReadonlyMap<string, FakeOdooRecord[]> {
    return this.store.models;
  }

  /** A model's committed records, `write_date` with microseconds as stored. */
  records(model: string): FakeOdooRecord[] {
    this.store.changed();
    return this.store.records(model);
  }

  /** Odoo's clock now, `YYYY-MM-DD HH:MM:SS.ffffff`. */
  now(): string {
    return this.store.clock.now();
  }

  /** Moves Odoo's clock forward (time passing between runs). */
  advance(seconds: number): void {
    this.store.clock.advance(seconds);
  }

  /** Opens a transaction: its records get its start as `write_date` and appear only when it commits. */
  begin(): FakeOdooTransaction {
    return this.store.begin();
  }

  /**
   * Creates `count` records in `tx` (or in a transaction of their own, committed at once), as an
   * import or a mass action does: all of them share one `write_date`.
   */
  create(model: string, count: number, overrides: Record<string, unknown> = {}, tx?: FakeOdooTransaction): FakeOdooRecord[] {
    const transaction = tx ?? this.begin();
    const created = Array.from({ length: count }, () => transaction.create(model, (id) => ({ ...fakeFields(model, id), ...overrides })));
    if (!tx) transaction.commit();
    return created;
  }

  /** Records written by one transaction (one `write_date`), kept for compatibility with older suites. */
  addTied(model: string, count: number): FakeOdooRecord[] {
    return this.create(model, count);
  }

  /** Changes a record as a user would in Odoo: in `tx`, or in a transaction of its own. */
  edit(model: string, id: number, changes: Record<string, unknown>, tx?: FakeOdooTransaction): FakeOdooRecord {
    const transaction = tx ?? this.begin();
    transaction.write(model, id, changes);
    if (!tx) transaction.commit();
    const record = this.store.records(model).find((r) => r.id === id);
    if (!record) throw new Error(`No ${model} ${id}`);
    return record;
  }

  /** The next `times` requests (default: all of them) fail this way. */
  fail(mode: OdooFailure, times = Number.POSITIVE_INFINITY): void {
    this.failure = { mode, remaining: times };
  }

  /** Odoo refuses `search_read` this way, after serving `after` more of them, `times` times (default: from then on). */
  refuse(kind: OdooRefusal, { after = 0, times = Number.POSITIVE_INFINITY }: { after?: number; times?: number } = {}): void {
    this.refusal = { kind, after: this.searchReads + after, remaining: times };
  }

  recover(): void {
    this.failure = null;
    this.refusal = null;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * History: `ties` records a second, written by transactions of one to three records, each with
   * its own microsecond (records of one transaction share theirs); ids shuffled against write order.
   */
  private generate(model: string, modelIndex: number, count: number, ties: number, duplicateEvery: number): FakeOdooRecord[] {
    let seed = 12345 + modelIndex;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const slots = Array.from({ length: count }, (_, i) => i);
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [slots[i], slots[j]] = [slots[j], slots[i]];
    }
    const writeDates: string[] = [];
    for (let second = 0; writeDates.length < count; second++) {
      let micros = HISTORY_START + second * 1_000_000;
      for (let inSecond = 0; inSecond < ties && writeDates.length < count; ) {
        const size = Math.min(1 + Math.floor(random() * 3), ties - inSecond);
        micros += 1 + Math.floor(random() * (1_000_000 / (ties + 1)));
        for (let k = 0; k < size && writeDates.length < count; k++) writeDates.push(timestampText(micros));
        inSecond += size;
      }
    }
    const records = slots.map((slot, i) => {
      const id = this.store.nextId(model);
      return { ...fakeFields(model, id), id, write_date: writeDates[slot], create_date: writeDates[slot] } as FakeOdooRecord;
    });
    if (duplicateEvery > 0) {
      for (let i = duplicateEvery; i < records.length; i += duplicateEvery) {
        for (const field of ['email_from', 'phone', 'partner_name', 'website', 'vat']) records[i][field] = records[i - 1][field];
      }
    }
    return records;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requests += 1;
    const body = await readBody(request);
    if (this.failure && this.failure.remaining > 0) {
      this.failure.remaining -= 1;
      return this.misbehave(this.failure.mode, request, response);
    }
    if (request.method === 'POST' && request.url === '/jsonrpc') return this.jsonRpc(body, response);
    const json2 = /^\/json\/2\/([^/?]+)\/([^/?]+)$/.exec(request.url ?? '');
    if (json2 && this.version >= 19 && request.method === 'POST') return this.json2(decodeURIComponent(json2[1]), json2[2], request, body, response);
    // Odoo's own 404 page for a path no route matches (JSON-2 before Odoo 19).
    this.send(response, 404, { 'Content-Type': 'text/html; charset=utf-8' }, '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>');
  }

  private misbehave(mode: OdooFailure, request: IncomingMessage, response: ServerResponse): void {
    if (mode === 'down') return void request.socket.destroy();
    if (mode === 'timeout') return; // never answers; close() drops the socket
    if (mode === 'unavailable') return this.send(response, 503, { 'Content-Type': 'text/html' }, '<html><body><h1>503 Service Unavailable</h1></body></html>');
    if (mode === 'garbage') return this.send(response, 200, { 'Content-Type': 'text/html' }, '<html><body>Odoo is being upgraded…</body></html>');
    const shape = request.url === '/jsonrpc' ? { jsonrpc: '2.0', id: null, result: { unexpected: true } } : { unexpected: true };
    this.send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify(shape));
  }

  /**
   * `/jsonrpc` (addons/rpc/controllers/jsonrpc.py, before 19 odoo/http.py `CommonController`): always
   * HTTP 200, `{ jsonrpc, id, result }` or `{ jsonrpc, id, error }`.
   */
  private async jsonRpc(raw: string, response: ServerResponse): Promise<void> {
    const call = parse(raw);
    const id = call?.id ?? null;
    const reply = (payload: object) => this.send(response, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ jsonrpc: '2.0', id, ...payload }));
    const error = (name: string, message: string, code = this.version >= 18 ? 0 : 200, top = 'Odoo Server Error') =>
      reply({ error: { code, message: top, data: serializeException(name, message, [message]) } });
    if (!call || typeof call.params !== 'object' || call.params === null) {
      // JsonRPCDispatcher.dispatch: abort(Response("Invalid JSON-RPC data", status=400)).
      return this.send(response, 400, { 'Content-Type': 'text/html; charset=utf-8' }, 'Invalid JSON-RPC data');
    }
    const { service, method, args = [] } = call.params as { service: string; method: string; args: unknown[] };
    // Odoo 19: object and login calls need `rpc.use_deprecated_services`, else request.not_found().
    if (this.version >= 19 && !this.options.deprecatedRpc && (service === 'object' || (service === 'common' && (method === 'login' || method === 'authenticate')))) {
      return error('werkzeug.exceptions.NotFound', NOT_FOUND_DESCRIPTION, 404, '404: Not Found');
    }
    if (service === 'common' && method === 'version') return reply({ result: { server_version: `${this.version}.0`, server_serie: `${this.version}.0`, protocol_version: 1 } });
    if (service === 'common' && (method === 'login' || method === 'authenticate')) {
      // odoo/service/common.py exp_login: `return res or False` — a wrong login or password is `false`, not an error.
      const [db, login, password] = args;
      const ok = db === FAKE_ODOO.database && login === FAKE_ODOO.login && (password === FAKE_ODOO.password || password === FAKE_ODOO.apiKey);
      return reply({ result: ok ? FAKE_ODOO.uid : false });
    }
    if (service !== 'object') return error('builtins.KeyError', `'${service}'`);
    if (method !== 'execute_kw') return error('builtins.NameError', `Method not available ${method}`);
    const [db, uid, password, model, modelMethod, positional, kwargs] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    // odoo/service/model.py dispatch: security.check(db, uid, passwd) raises AccessDenied.
    if (db !== FAKE_ODOO.database || uid !== FAKE_ODOO.uid || (password !== FAKE_ODOO.password && password !== FAKE_ODOO.apiKey)) {
      return error('odoo.exceptions.AccessDenied', 'Access Denied');
    }
    if (!this.fields.has(model)) return error('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
    if (modelMethod !== 'search_read') return error('builtins.AttributeError', `The method '${modelMethod}' does not exist on the model '${model}'`);
    const refused = this.takeRefusal();
    if (refused) {
      await this.delay();
      const shape = REFUSALS[refused];
      return error(shape.rpcName, refused === 'revoked-key' ? 'Access Denied' : refused === 'unknown-model' ? `Object ${model} doesn't exist` : shape.message(model));
    }
    try {
      const [domain] = positional ?? [];
      const result = this.searchRead(model, { domain, ...kwargs });
      await this.delay();
      reply({ result });
    } catch (failure) {
      if (!(failure instanceof OdooValueError)) throw failure;
      error('builtins.ValueError', failure.message);
    }
  }

  /** `/json/2/<model>/<method>` (addons/rpc/controllers/json2.py), answering the bare result or a real status. */
  private async json2(model: string, method: string, request: IncomingMessage, raw: string, response: ServerResponse): Promise<void> {
    const fail = (status: number, name: string, message: string, args: unknown[] = [message], headers: Record<string, string> = {}) =>
      this.send(response, status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(serializeException(name, message, args)));
    const unauthorized = (message: string) => fail(401, 'werkzeug.exceptions.Unauthorized', message, [message, 401], { 'WWW-Authenticate': 'Bearer' });
    // odoo/addons/base/models/ir_http.py `_auth_method_bearer`.
    const token = /^bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return unauthorized('User not authenticated, use the "Authorization" header');
    if (token !== FAKE_ODOO.apiKey) return unauthorized('Invalid apikey');
    const database = request.headers['x-odoo-database'];
    if (database !== undefined && database !== FAKE_ODOO.database) {
      return this.send(response, 404, { 'Content-Type': 'text/html; charset=utf-8' }, '<!doctype html><title>404 Not Found</title><h1>Not Found</h1>');
    }
    if (!this.fields.has(model)) return fail(404, 'werkzeug.exceptions.NotFound', `the model '${model}' does not exist`, [`the model '${model}' does not exist`, 404]);
    if (method !== 'search_read') return fail(404, 'werkzeug.exceptions.NotFound', `The method '${method}' does not exist on the model '${model}'`, [`The method '${method}' does not exist on the model '${model}'`, 404]);
    const params = parse(raw);
    if (raw && !params) return fail(400, 'werkzeug.exceptions.BadRequest', 'could not parse the body as json: Expecting value', ['could not parse the body as json: Expecting value', 400]);
    // json2.py binds the named arguments to the method's signature: an unknown one is a 422.
    const unknown = Object.keys(params ?? {}).find((key) => !['domain', 'fields', 'offset', 'limit', 'order', 'context', 'ids', 'load'].includes(key));
    if (unknown) {
      const message = `BaseModel.search_read() got an unexpected keyword argument '${unknown}'`;
      return fail(422, 'werkzeug.exceptions.UnprocessableEntity', message, [message, 422]);
    }
    const refused = this.takeRefusal();
    if (refused) {
      await this.delay();
      const shape = REFUSALS[refused];
      const message = shape.message(model);
      const args = shape.json2Name.startsWith('werkzeug') ? [message, shape.status] : [message];
      return fail(shape.status, shape.json2Name, message, args, refused === 'revoked-key' ? { 'WWW-Authenticate': 'Bearer' } : {});
    }
    try {
      const result = this.searchRead(model, params ?? {});
      await this.delay();
      this.send(response, 200, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(result));
    } catch (failure) {
      if (!(failure instanceof OdooValueError)) throw failure;
      fail(500, 'builtins.ValueError', failure.message);
    }
  }

  private takeRefusal(): OdooRefusal | null {
    const refusal = this.refusal;
    if (!refusal || this.searchReads < refusal.after || refusal.remaining <= 0) return null;
    refusal.remaining -= 1;
    this.searchReads += 1;
    return refusal.kind;
  }

  private searchRead(model: string, params: Record<string, unknown>): Record<string, unknown>[] {
    this.searchReads += 1;
    return this.store.searchRead(model, params, this.fields.get(model)!);
  }

  private delay(): Promise<void> {
    const ms = this.options.latencyMs ?? 0;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  /** Every answer carries a `Date` header from Odoo's clock, as any HTTP server with a clock does. */
  private send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
    response.writeHead(status, { Date: new Date(Math.floor(this.store.clock.nowMicros() / 1000)).toUTCString(), ...headers });
    response.end(body);
  }
}

function fakeFields(model: string, id: number): Record<string, unknown> {
  const testDrive = model.includes('test');
  const person = `${testDrive ? 't' : 'q'}${id}`;
  return {
    name: `${testDrive ? 'TD' : 'Q'}${String(id).padStart(6, '0')}`,
    partner_name: id % 3 === 0 ? false : `Fleet ${person} LLC`,
    contact_name: `Client ${person}`,
    email_from: `client.${person}@mail.example`,
    phone: `+7 9${testDrive ? 2 : 1}${String(id).padStart(8, '0')}`,
    city: CITIES[id % CITIES.length],
    website: id % 3 === 0 ? false : `https://fleet-${person}.example`,
    vat: id % 3 === 0 ? false : String(7700000000 + id * 2 + (testDrive ? 1 : 0)),
    vehicle_model: [(id % VEHICLES.length) + 1, VEHICLES[id % VEHICLES.length]],
  };
}

/** odoo/http.py `serialize_exception`: `{ name, message, arguments, context, debug }`. */
function serializeException(name: string, message: string, args: unknown[]): object {
  return { name, message, arguments: args, context: {}, debug: `Traceback (most recent call last):\n  File "odoo/http.py", line 2138, in _serve_db\n${name}: ${message}\n` };
}

function parse(raw: string): Record<string, any> | null {
  try {
    const value = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
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
