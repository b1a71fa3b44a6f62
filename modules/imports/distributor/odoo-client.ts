import type { ResolvedDistributorOptions } from '../../core/options/crm-module-options';

/** One record as Odoo's `search_read` returns it: `false` for empty fields, `[id, name]` for many2one. */
export interface OdooRecord {
  id: number;
  write_date: string;
  [field: string]: unknown;
}

/** An Odoo domain in prefix notation: `'|'`, `'&'`, `'!'` operators and `[field, operator, value]` leaves. */
export type OdooDomain = Array<string | [string, string, unknown]>;

export interface OdooSearchRead {
  model: string;
  domain: OdooDomain;
  fields: string[];
  order: string;
  limit: number;
}

/** A page of `search_read` and Odoo's clock when it answered (its `Date` header, else ours). */
export interface OdooPage {
  records: OdooRecord[];
  /** Milliseconds since the epoch. */
  serverTime: number;
}

/**
 * Why a call to Odoo failed; `retryable` is false when asking again cannot help (bad credentials,
 * a refused call); `exception` is the Odoo exception's `module.name` when Odoo said which.
 */
export class OdooError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly exception: string | null = null,
  ) {
    super(message);
    this.name = 'OdooError';
  }
}

export type OdooClientConfig = Pick<
  ResolvedDistributorOptions,
  'url' | 'database' | 'protocol' | 'login' | 'password' | 'apiKey' | 'timeoutMs' | 'retries' | 'retryDelayMs'
>;

/** `fields.Datetime.to_string` (odoo/tools/misc.py DEFAULT_SERVER_DATETIME_FORMAT); microseconds accepted should an Odoo send them. */
const ODOO_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/**
 * Odoo's external API, over JSON-2 (`/json/2/<model>/<method>`, Odoo 19+, bearer API key) or
 * JSON-RPC (`/jsonrpc`, Odoo up to 18, login + password or API key). Every request has a timeout;
 * transport failures, gateway errors (502/503/504, 429, a 5xx that is not Odoo's own answer) and
 * unreadable bodies are retried with exponential backoff. What Odoo itself refuses is not:
 * JSON-RPC errors (HTTP 200 with an `error` object, odoo/http.py `JsonRPCDispatcher.handle_error`)
 * and JSON-2 statuses with a `serialize_exception` body (`Json2Dispatcher.handle_error`: 401 key,
 * 403 access, 404 model or method, 422 user error or arguments, 500 any other exception).
 */
export class OdooClient {
  private uid: number | null = null;
  private nextRpcId = 1;

  constructor(
    private readonly config: OdooClientConfig,
    private readonly onRetry: (error: OdooError, attempt: number) => void = () => undefined,
  ) {}

  private serverTime = 0;

  async searchRead(query: OdooSearchRead): Promise<OdooPage> {
    return this.withRetries(async () => {
      const result = this.config.protocol === 'json2' ? await this.searchReadJson2(query) : await this.searchReadJsonRpc(query);
      return { records: this.checkRecords(result, query.model), serverTime: this.serverTime };
    });
  }

  private async searchReadJsonRpc(query: OdooSearchRead): Promise<unknown> {
    const uid = await this.authenticate();
    const kwargs = { fields: query.fields, order: query.order, limit: query.limit };
    return this.rpc('object', 'execute_kw', [this.config.database, uid, this.secret(), query.model, 'search_read', [query.domain], kwargs]);
  }

  private async searchReadJson2(query: OdooSearchRead): Promise<unknown> {
    const { domain, fields, order, limit } = query;
    return this.post(`/json/2/${encodeURIComponent(query.model)}/search_read`, { domain, fields, order, limit }, {
      Authorization: `bearer ${this.config.apiKey}`,
      'X-Odoo-Database': this.config.database,
    }, (status, body) => this.json2Failure(status, body));
  }

  /** `common.authenticate` answers the uid, or `false` for a wrong login/password. */
  private async authenticate(): Promise<number> {
    if (this.uid !== null) return this.uid;
    const uid = await this.rpc('common', 'authenticate', [this.config.database, this.config.login, this.secret(), {}]);
    // odoo/service/common.py: a wrong login or password answers `false`, not an error.
    if (uid === false) throw new OdooError(`Odoo refused the login "${this.config.login}" on database "${this.config.database}"`, false);
    if (typeof uid !== 'number') throw new OdooError(`Odoo answered garbage to authenticate: ${preview(uid)}`, true);
    this.uid = uid;
    return uid;
  }

  private secret(): string {
    return this.config.apiKey || this.config.password;
  }

  private async rpc(service: string, method: string, args: unknown[]): Promise<unknown> {
    const id = this.nextRpcId++;
    const body = await this.post('/jsonrpc', { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }, {}, (status) =>
      new OdooError(`Odoo answered HTTP ${status} to ${service}.${method}`, status >= 500 || status === 429),
    );
    if (!isObject(body) || !('result' in body || 'error' in body)) throw new OdooError(`Odoo answered garbage to ${service}.${method}: ${preview(body)}`, true);
    if ('error' in body) throw this.rpcFailure(body.error);
    return body.result;
  }

  /**
   * A JSON-RPC error object, HTTP 200: `{ code, message: "Odoo Server Error", data: serialize_exception }`
   * (`code` 200 up to Odoo 17, 0 from 18; 404 when Odoo 19 refuses the deprecated `/jsonrpc` services).
   */
  private rpcFailure(error: unknown): OdooError {
    const data = isObject(error) && isObject(error.data) ? error.data : {};
    const name = typeof data.name === 'string' ? data.name : 'unknown error';
    const message = firstLine(typeof data.message === 'string' ? data.message : isObject(error) ? String(error.message) : preview(error));
    if (isObject(error) && error.code === 404) {
      return new OdooError(
        `Odoo answered 404 to /jsonrpc: Odoo 19 serves the deprecated JSON-RPC API only with the system parameter rpc.use_deprecated_services; use protocol 'json2' (${name}: ${message})`,
        false,
        name,
      );
    }
    // Serialization failures are Odoo's own "try again" (odoo/service/model.py retries them 5 times first).
    const retryable = /SerializationFailure|TransactionRollbackError|LockNotAvailable|DeadlockDetected/.test(name);
    return new OdooError(`Odoo refused the call: ${name}: ${message}`, retryable, name);
  }

  /**
   * A JSON-2 error status. Odoo's own answers carry `serialize_exception` (`{ name, message, arguments,
   * context, debug }`) and are refusals; a 5xx, 429 or 404 without that body came from a proxy, or from
   * an Odoo without JSON-2 (before 19: its HTML 404 page).
   */
  private json2Failure(status: number, body: unknown): OdooError {
    const odoo = isObject(body) && typeof body.name === 'string' && typeof body.message === 'string';
    if (!odoo) {
      if (status === 404) return new OdooError(`Odoo answered HTTP 404 to JSON-2: this Odoo has no /json/2 (it came with Odoo 19); use protocol 'jsonrpc' for Odoo 18 and older`, false);
      return new OdooError(`Odoo answered HTTP ${status}: ${preview(body)}`, status >= 500 || status === 429);
    }
    const name = body.name as string;
    const message = firstLine(body.message as string);
    const what = status === 401 ? 'refused the API key' : status === 403 ? 'refused access' : status === 404 ? 'found no such model or method' : status === 422 ? 'refused the call' : 'failed';
    return new OdooError(`Odoo ${what} (HTTP ${status}): ${name}: ${message}`, false, name);
  }

  private async post(
    path: string,
    payload: unknown,
    headers: Record<string, string>,
    failure: (status: number, body: unknown) => OdooError,
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.config.url + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'nest-crm distributor sync', ...headers },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new OdooError(transportMessage(error, this.config.timeoutMs), true);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new OdooError(transportMessage(error, this.config.timeoutMs), true);
    }
    const date = Date.parse(response.headers.get('date') ?? '');
    this.serverTime = Number.isFinite(date) ? date : Date.now();
    const body = parseJson(text);
    if (!response.ok) throw failure(response.status, body ?? text);
    if (body === undefined) throw new OdooError(`Odoo answered garbage (not JSON): ${preview(text)}`, true);
    return body;
  }

  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof OdooError) || !error.retryable || attempt >= this.config.retries) throw error;
        this.onRetry(error, attempt + 1);
        await new Promise((resolve) => setTimeout(resolve, this.config.retryDelayMs * 2 ** attempt));
      }
    }
  }

  private checkRecords(result: unknown, model: string): OdooRecord[] {
    if (!Array.isArray(result)) throw new OdooError(`Odoo answered garbage to ${model}.search_read: ${preview(result)}`, true);
    for (const record of result) {
      if (!isObject(record) || !Number.isInteger(record.id) || typeof record.write_date !== 'string' || !ODOO_DATETIME.test(record.write_date)) {
        throw new OdooError(`Odoo sent a ${model} record without an id and write_date: ${preview(record)}`, true);
      }
    }
    return result as OdooRecord[];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (text ?? String(value)).slice(0, 200);
}

function transportMessage(error: unknown, timeoutMs: number): string {
  // AbortSignal.timeout rejects with a DOMException, which is not always an Error of this realm.
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { message?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return `Odoo did not answer within ${timeoutMs} ms`;
  return `Odoo is unreachable (${message ?? String(error)}${cause?.message ? `: ${cause.message}` : ''})`;
}
