/**
 * The Odoo fake's database: records, transactions and domains, as Odoo's ORM on PostgreSQL keeps
 * and evaluates them. Each behaviour names the part of Odoo's source it follows.
 *
 * - `write_date` is a `timestamp` column (odoo/orm/fields_temporal.py: `Datetime._column_type =
 *   ('timestamp', 'timestamp')`), so PostgreSQL keeps microseconds.
 * - Its value is the writing transaction's start: the ORM writes `self.env.cr.now()`, and
 *   odoo/sql_db.py `Cursor.now()` runs `SELECT (now() AT TIME ZONE 'UTC')` once per transaction
 *   (cached in `_now` until commit or rollback); PostgreSQL's `now()` is the transaction's start.
 *   Every record one transaction writes shares one exact value.
 * - Record ids come from a PostgreSQL sequence when the row is inserted, not when it commits: a
 *   transaction that commits late can make records with lower ids than records already visible.
 * - `search_read` sends datetimes as `fields.Datetime.to_string`, i.e. `DEFAULT_SERVER_DATETIME_FORMAT`
 *   (odoo/tools/misc.py: `"%Y-%m-%d %H:%M:%S"`): cut to the second, naive UTC.
 * - A datetime domain value is parsed by odoo/orm/domains.py `_value_to_datetime`
 *   (`datetime.fromisoformat(value)`): `'2025-03-03 08:02:00'` is `08:02:00.000000`, and a 10-character
 *   day turns `>` into `>= next day` and `<=` into `< next day` (`_optimize_type_datetime`).
 * - `order` sorts on the stored values, microseconds included.
 * - An unknown field in `fields` or in the domain raises `ValueError` (not a `UserError`).
 */

/** A record as the fake stores it: `write_date` with microseconds, as PostgreSQL holds it. */
export interface FakeOdooRecord {
  id: number;
  /** `YYYY-MM-DD HH:MM:SS.ffffff`, UTC. */
  write_date: string;
  [field: string]: unknown;
}

/** Odoo's `ValueError` for an unknown field (odoo/orm/models.py `_read_format`, domains `_field`). */
export class OdooValueError extends Error {}

const MICROS_PER_SECOND = 1_000_000;

/** Microseconds since the epoch as PostgreSQL's `timestamp` text, `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function timestampText(micros: number): string {
  const seconds = Math.floor(micros / MICROS_PER_SECOND);
  const fraction = String(micros - seconds * MICROS_PER_SECOND).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}

/** `fields.Datetime.to_string`: cut to the second. */
export function odooDatetimeString(stored: string): string {
  return stored.slice(0, 19);
}

/**
 * Python's `datetime.fromisoformat` on a domain value, as a comparable `timestamp` text, and
 * whether it was a bare day (`len(value) == 10`).
 */
export function parseDomainDatetime(value: unknown): { text: string; day: boolean } {
  if (typeof value !== 'string') throw new OdooValueError(`Failed to cast ${JSON.stringify(value)} into a datetime`);
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(value);
  if (!match) throw new OdooValueError(`Invalid isoformat string: '${value}'`);
  const [, day, hh = '00', mm = '00', ss = '00', fraction = ''] = match;
  return { text: `${day} ${hh}:${mm}:${ss}.${fraction.padEnd(6, '0')}`, day: value.length === 10 };
}

function nextDay(text: string): string {
  const date = new Date(`${text.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return `${date.toISOString().slice(0, 10)} 00:00:00.000000`;
}

/**
 * The fake's clock: Odoo's `now()`. It runs with real time (so transactions opened one after the
 * other get distinct microseconds) from a fixed start, and tests may move it forward.
 */
export class FakeClock {
  private readonly startedAt = process.hrtime.bigint();
  private offsetMicros = 0;

  constructor(private readonly startMicros: number) {}

  /** Microseconds since the epoch. */
  nowMicros(): number {
    const elapsed = Number((process.hrtime.bigint() - this.startedAt) / 1000n);
    return this.startMicros + elapsed + this.offsetMicros;
  }

  now(): string {
    return timestampText(this.nowMicros());
  }

  advance(seconds: number): void {
    this.offsetMicros += Math.round(seconds * MICROS_PER_SECOND);
  }
}

interface PendingCreate {
  model: string;
  record: FakeOdooRecord;
}

interface PendingWrite {
  model: string;
  id: number;
  changes: Record<string, unknown>;
}

/**
 * One Odoo transaction: what it creates and writes is invisible until `commit()`, and every record
 * it touches gets `write_date` = the transaction's start (`cr.now()`).
 */
export class FakeOdooTransaction {
  private readonly creates: PendingCreate[] = [];
  private readonly writes: PendingWrite[] = [];
  private done = false;

  constructor(
    private readonly store: FakeOdooStore,
    /** `cr.now()`: the transaction's start, `YYYY-MM-DD HH:MM:SS.ffffff`. */
    readonly now: string,
  ) {}

  /** Inserts a record; its id is taken from the sequence now, whatever happens to the transaction. */
  create(model: string, fields: Record<string, unknown> | ((id: number) => Record<string, unknown>)): FakeOdooRecord {
    this.assertOpen();
    const id = this.store.nextId(model);
    const record: FakeOdooRecord = { ...(typeof fields === 'function' ? fields(id) : fields), id, write_date: this.now, create_date: this.now };
    this.creates.push({ model, record });
    return record;
  }

  write(model: string, id: number, changes: Record<string, unknown>): void {
    this.assertOpen();
    this.writes.push({ model, id, changes });
  }

  commit(): void {
    this.assertOpen();
    this.done = true;
    for (const { model, record } of this.creates) this.store.records(model).push(record);
    for (const { model, id, changes } of this.writes) {
      const record = this.store.records(model).find((r) => r.id === id);
      if (!record) throw new Error(`No ${model} ${id}`);
      Object.assign(record, changes, { write_date: this.now });
    }
    this.store.changed();
  }

  rollback(): void {
    this.done = true;
  }

  private assertOpen(): void {
    if (this.done) throw new Error('This fake Odoo transaction is over');
  }
}

/** The records of each model, sorted copies for the sync's query, and the id sequences. */
export class FakeOdooStore {
  readonly models = new Map<string, FakeOdooRecord[]>();
  private readonly sequences = new Map<string, number>();
  private readonly sorted = new Map<string, FakeOdooRecord[]>();

  constructor(readonly clock: FakeClock) {}

  records(model: string): FakeOdooRecord[] {
    const records = this.models.get(model);
    if (!records) throw new Error(`The fake has no model ${model}`);
    return records;
  }

  nextId(model: string): number {
    const id = (this.sequences.get(model) ?? 0) + 1;
    this.sequences.set(model, id);
    return id;
  }

  /** Records were committed or changed by hand: sorted copies are stale. */
  changed(): void {
    this.sorted.clear();
  }

  begin(): FakeOdooTransaction {
    return new FakeOdooTransaction(this, this.clock.now());
  }

  /** `search_read` over the committed records: domain, order, offset, limit and fields, as Odoo answers them. */
  searchRead(model: string, params: { domain?: unknown; fields?: unknown; order?: unknown; offset?: unknown; limit?: unknown }, knownFields: ReadonlySet<string>): Record<string, unknown>[] {
    const domain = Array.isArray(params.domain) ? (params.domain as unknown[]) : [];
    const fields = Array.isArray(params.fields) && params.fields.length ? ['id', ...(params.fields as string[]).filter((f) => f !== 'id')] : [...knownFields];
    for (const field of fields) if (!knownFields.has(field)) throw new OdooValueError(`Invalid field '${field}' on model '${model}'`);
    const order = typeof params.order === 'string' && params.order.trim() ? params.order : 'id asc';
    const predicate = compileDomain(model, domain, knownFields);
    const sorted = this.sortedBy(model, order);
    const offset = Number(params.offset ?? 0);
    const wanted = params.limit ? offset + Number(params.limit) : Number.POSITIVE_INFINITY;
    const matching: FakeOdooRecord[] = [];
    // As PostgreSQL would from an index: start where the ordered field reaches the domain's lower bound.
    for (let i = lowerBound(sorted, order, domain); i < sorted.length && matching.length < wanted; i++) {
      if (predicate(sorted[i])) matching.push(sorted[i]);
    }
    return matching.slice(offset).map((record) => Object.fromEntries(fields.map((f) => [f, readValue(f, record[f])])));
  }

  private sortedBy(model: string, order: string): FakeOdooRecord[] {
    const key = `${model}|${order}`;
    let sorted = this.sorted.get(key);
    if (!sorted) {
      sorted = [...this.records(model)].sort(comparator(order));
      this.sorted.set(key, sorted);
    }
    return sorted;
  }
}

/**
 * The first index of `sorted` that can match: when the order starts with a field ascending and the
 * domain (a plain AND of leaves) bounds that field from below, records before the bound are skipped.
 */
function lowerBound(sorted: FakeOdooRecord[], order: string, domain: unknown[]): number {
  const [field, direction] = order.split(',')[0].trim().split(/\s+/);
  if ((direction ?? 'asc').toLowerCase() !== 'asc' || domain.some((term) => typeof term === 'string')) return 0;
  let bound: string | number | undefined;
  for (const term of domain as unknown[][]) {
    if (term[0] !== field || (term[1] !== '>' && term[1] !== '>=')) continue;
    const value = DATETIME_FIELDS.has(field) ? parseDomainDatetime(term[2]).text : (term[2] as string | number);
    if (bound === undefined || value > bound) bound = value;
  }
  if (bound === undefined) return 0;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle][field] as string | number) < bound!) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** What `read` sends for a stored value: datetimes cut to the second, `false` for empty. */
function readValue(field: string, value: unknown): unknown {
  if (value === undefined || value === null) return false;
  if ((field === 'write_date' || field === 'create_date') && typeof value === 'string') return odooDatetimeString(value);
  return value;
}

const DATETIME_FIELDS = new Set(['write_date', 'create_date']);

/** An Odoo prefix-notation domain as a predicate; unknown fields raise `ValueError` like the ORM does. */
function compileDomain(model: string, domain: unknown[], knownFields: ReadonlySet<string>): (record: FakeOdooRecord) => boolean {
  let position = 0;
  const next = (): ((record: FakeOdooRecord) => boolean) => {
    const term = domain[position++];
    if (term === '|') {
      const [a, b] = [next(), next()];
      return (r) => a(r) || b(r);
    }
    if (term === '&') {
      const [a, b] = [next(), next()];
      return (r) => a(r) && b(r);
    }
    if (term === '!') {
      const a = next();
      return (r) => !a(r);
    }
    if (!Array.isArray(term) || term.length !== 3) throw new OdooValueError(`Invalid leaf ${JSON.stringify(term)}`);
    const [field, operator, value] = term as [string, string, unknown];
    if (!knownFields.has(field)) throw new OdooValueError(`Invalid field ${model}.${field} in leaf ${JSON.stringify(term)}`);
    return leaf(field, operator, value);
  };
  const parts: Array<(record: FakeOdooRecord) => boolean> = [];
  while (position < domain.length) parts.push(next());
  return (record) => parts.every((part) => part(record));
}

function leaf(field: string, operator: string, value: unknown): (record: FakeOdooRecord) => boolean {
  if (DATETIME_FIELDS.has(field) && value !== false) {
    const parsed = parseDomainDatetime(value);
    let op = operator;
    let bound = parsed.text;
    if (parsed.day && op === '>') [op, bound] = ['>=', nextDay(bound)];
    else if (parsed.day && op === '<=') [op, bound] = ['<', nextDay(bound)];
    return (record) => compare(record[field] as string, op, bound);
  }
  return (record) => compare(record[field] as string | number, operator, value as string | number);
}

function compare(actual: string | number | undefined, operator: string, value: unknown): boolean {
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
    case 'not in': return !(value as unknown[]).includes(actual);
    default: throw new OdooValueError(`Invalid operator ${JSON.stringify(operator)}`);
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
