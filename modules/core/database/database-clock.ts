import type { DataSource } from 'typeorm';

/**
 * The database's clock as an SQL expression, `offsetSeconds` from now (negative: earlier), for
 * times that several app instances compare (leases, run heartbeats): written and compared on one
 * clock, so the instances' own clocks and time zones never matter. A value stored through it is
 * only ever compared with another such expression, on the same driver.
 */
export function databaseNow(dataSource: DataSource, offsetSeconds = 0): string {
  const seconds = Math.trunc(offsetSeconds);
  switch (dataSource.options.type) {
    case 'mysql':
    case 'mariadb':
      return seconds === 0 ? 'NOW(6)' : `(NOW(6) + INTERVAL ${seconds} SECOND)`;
    case 'postgres':
      return seconds === 0 ? 'LOCALTIMESTAMP' : `(LOCALTIMESTAMP + INTERVAL '${seconds} seconds')`;
    default:
      // SQLite: the text TypeORM stores datetimes as (UTC, milliseconds), so comparisons are textual.
      return `strftime('%Y-%m-%d %H:%M:%f', 'now', '${seconds} seconds')`;
  }
}
