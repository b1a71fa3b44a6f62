/**
 * Failures of a database call that are not the statement's fault, told apart by the driver's own
 * error codes (TypeORM's `QueryFailedError` copies the driver error's fields; a connection that
 * could not be had is the driver's error as it is).
 */

/**
 * The transaction was rolled back whole because it lost a lock race, and the same work may simply be
 * taken again: MySQL/MariaDB 1213 (deadlock) and 1205 (lock wait timeout, rolled back by the runner);
 * PostgreSQL 40P01 and 40001; SQLite's `SQLITE_BUSY` (another process holds the file's write lock).
 */
const CONFLICT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', '40P01', '40001', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const CONFLICT_ERRNOS = new Set([1213, 1205]);

/**
 * The database could not be reached or went away: the network (refused, reset, timed out, no route),
 * MySQL/MariaDB's own (connection lost, too many connections, server shutting down, gone away) and
 * PostgreSQL's connection classes (08xxx, 57P01-57P03).
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_SERVER_GONE_ERROR',
  'ER_SERVER_LOST',
  'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST',
  '57P01',
  '57P02',
  '57P03',
]);
/** Errors that carry no code: mysql2's closed connection or pool, node-postgres' dropped connection. */
const UNREACHABLE_MESSAGES = [/closed state/i, /^Pool is closed/i, /Connection terminated/i, /Connection lost/i];

interface DriverFailure {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The error and the driver errors it wraps (TypeORM's `driverError`, `cause`, Node's `AggregateError` of each address tried). */
function* layers(error: unknown, depth = 0): Generator<DriverFailure> {
  if (!error || typeof error !== 'object' || depth > 4) return;
  const failure = error as DriverFailure;
  yield failure;
  yield* layers(failure.driverError, depth + 1);
  yield* layers(failure.cause, depth + 1);
  if (Array.isArray(failure.errors)) for (const inner of failure.errors) yield* layers(inner, depth + 1);
}

/** True when the transaction lost a lock race (deadlock, lock wait timeout, busy file) and may be run again from the start. */
export function isTransactionConflict(error: unknown): boolean {
  for (const layer of layers(error)) {
    if (CONFLICT_CODES.has(String(layer.code))) return true;
    if (typeof layer.errno === 'number' && CONFLICT_ERRNOS.has(layer.errno)) return true;
  }
  return false;
}

/** True when the database could not be reached or dropped the connection: nothing the caller sent is at fault. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (const layer of layers(error)) {
    const code = String(layer.code ?? '');
    if (UNREACHABLE_CODES.has(code) || /^08/.test(code)) return true;
    // mysql2 marks every error after which its connection is unusable (the network, the handshake).
    if (layer.fatal === true) return true;
    if (typeof layer.message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(layer.message as string))) return true;
  }
  return false;
}
