import { createConnection, type Connection, type ResultSetHeader } from 'mysql2/promise';
import { Client } from 'pg';

/** A table row as the driver reads it, by column name. */
export type Row = Record<string, unknown>;

/**
 * A bench's own connection to a fresh database, for what it writes and reads past the CRM: plain SQL
 * written once for both servers, identifiers in backticks and parameters as `?` (rewritten to double
 * quotes and `$n` on PostgreSQL).
 */
export interface PlainDatabase {
  readonly kind: 'mysql' | 'postgres';
  /** The fresh database's URL, for `databaseOptions` (the demo host's CRM_DB_URL forms). */
  readonly url: string;
  /** The server's name and version, for the printout. */
  readonly version: string;
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * One multi-row INSERT (more on PostgreSQL when the rows pass its 65,535 parameters); the new ids in
   * row order (RETURNING on PostgreSQL; from the first insert id on MySQL, consecutive for one statement
   * unless `innodb_autoinc_lock_mode` is 2). A table without an `id` column takes `withIds: false` and
   * answers none.
   */
  insert(table: string, columns: string[], rows: unknown[][], withIds?: boolean): Promise<number[]>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Closes the connection and drops the database (kept with BENCH_KEEP_DB=1). */
  dropAndClose(): Promise<void>;
}

/**
 * A fresh database named `<prefix><suffix>` on the bench's server: PostgreSQL when CRM_BENCH_POSTGRES_URL
 * is set (`postgres://postgres@127.0.0.1:5432`), otherwise MySQL/MariaDB on CRM_BENCH_MYSQL_URL (default
 * `mysql://root@127.0.0.1:3306`). BENCH_DB_PREFIX (default `crm_bench_`) names it.
 */
export async function freshPlainDatabase(suffix: string): Promise<PlainDatabase> {
  const name = `${process.env.BENCH_DB_PREFIX ?? 'crm_bench_'}${suffix}`;
  const postgres = process.env.CRM_BENCH_POSTGRES_URL;
  return postgres ? PostgresDatabase.create(postgres, name) : MysqlDatabase.create(process.env.CRM_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306', name);
}

/** `server` (a URL without a database, or with one to replace) pointed at database `name`. */
function withDatabase(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

const keep = () => process.env.BENCH_KEEP_DB === '1';

class MysqlDatabase implements PlainDatabase {
  readonly kind = 'mysql';

  private constructor(
    readonly url: string,
    readonly version: string,
    private readonly admin: Connection,
    private readonly db: Connection,
    private readonly name: string,
  ) {}

  static async create(server: string, name: string): Promise<MysqlDatabase> {
    const admin = await createConnection(server);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [[{ version }]] = (await admin.query('SELECT VERSION() AS version')) as unknown as [[{ version: string }]];
    const url = withDatabase(server, name);
    return new MysqlDatabase(url, `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${version}`, admin, await createConnection(url), name);
  }

  async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.db.query(sql, params);
    return rows as T[];
  }

  async insert(table: string, columns: string[], rows: unknown[][], withIds = true): Promise<number[]> {
    // mysql2 expands `VALUES ?` into the rows, escaped client-side: one statement of plain text.
    const [result] = await this.db.query<ResultSetHeader>(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [rows]);
    return withIds ? rows.map((_, i) => result.insertId + i) : [];
  }

  async begin(): Promise<void> {
    await this.db.beginTransaction();
  }

  async commit(): Promise<void> {
    await this.db.commit();
  }

  async dropAndClose(): Promise<void> {
    await this.db.end();
    if (!keep()) await this.admin.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    await this.admin.end();
  }
}

/** PostgreSQL's limit of bind parameters in one statement. */
const PG_MAX_PARAMETERS = 65_535;

class PostgresDatabase implements PlainDatabase {
  readonly kind = 'postgres';

  private constructor(
    readonly url: string,
    readonly version: string,
    private readonly server: string,
    private readonly db: Client,
    private readonly name: string,
  ) {}

  static async create(server: string, name: string): Promise<PostgresDatabase> {
    await onMaintenanceDatabase(server, (admin) => admin.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`));
    const url = withDatabase(server, name);
    const db = new Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    return new PostgresDatabase(url, `PostgreSQL ${rows[0].version}`, server, db, name);
  }

  async query<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    const { rows } = await this.db.query(toPostgres(sql), params.map(toParameter));
    return rows as T[];
  }

  async insert(table: string, columns: string[], rows: unknown[][], withIds = true): Promise<number[]> {
    const perStatement = Math.floor(PG_MAX_PARAMETERS / columns.length);
    const ids: number[] = [];
    for (let from = 0; from < rows.length; from += perStatement) {
      const chunk = rows.slice(from, from + perStatement);
      const values = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}${withIds ? ' RETURNING "id"' : ''}`;
      const result = await this.db.query<{ id: number | string }>(sql, chunk.flat().map(toParameter));
      if (withIds) ids.push(...result.rows.map((row) => Number(row.id)));
    }
    return ids;
  }

  async begin(): Promise<void> {
    await this.db.query('BEGIN');
  }

  async commit(): Promise<void> {
    await this.db.query('COMMIT');
  }

  async dropAndClose(): Promise<void> {
    await this.db.end();
    if (keep()) return;
    await onMaintenanceDatabase(this.server, (admin) => admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`));
  }
}

/** `work` on a connection of its own to the server's `postgres` database, where databases are created and dropped. */
async function onMaintenanceDatabase(server: string, work: (admin: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(server, 'postgres') });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

/** MySQL-style SQL for PostgreSQL: backticks to double quotes, `?` to `$1`, `$2`, … (the benches' SQL has neither in literals). */
function toPostgres(sql: string): string {
  let n = 0;
  return sql.replace(/`/g, '"').replace(/\?/g, () => `$${++n}`);
}

/**
 * A value read back from PostgreSQL, as a parameter again: pg parses json columns into objects and
 * arrays, but would send a JavaScript array as a PostgreSQL array, so they go back as JSON text.
 */
function toParameter(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}
