import type { OdooDomain, OdooRecord } from './odoo-client';

/**
 * How far the sync has read one model, whatever precision Odoo keeps `write_date` in: every record
 * written before the second `writeDate` is read, and of the records of that second, those with an
 * id up to `lastId` (0: none of them yet).
 *
 * Why seconds: Odoo stores `write_date` with microseconds (the writing transaction's start,
 * odoo/sql_db.py `Cursor.now()`) but `search_read` sends it cut to the second
 * (`DEFAULT_SERVER_DATETIME_FORMAT`), and a domain value `'… 08:02:00'` means `08:02:00.000000`
 * (odoo/orm/domains.py `_value_to_datetime`). So the sync only ever asks for whole seconds:
 * `write_date >= S` and `write_date < S + 1s` select exactly the records Odoo shows as `S` and later,
 * or as `S`.
 */
export interface CursorPosition {
  /** `YYYY-MM-DD HH:MM:SS`, UTC, as Odoo sends it. */
  writeDate: string;
  lastId: number;
}

/** The next request of a pass: a scan from a second on, or the records of one second by id. */
export type CursorRead = { mode: 'scan'; from: string | null } | { mode: 'bucket'; second: string; afterId: number };

/** What a page read gives: the records to take, where the cursor is once they are, and the next read. */
export interface PagePlan {
  take: OdooRecord[];
  position: CursorPosition | null;
  next: CursorRead | null;
}

export const CURSOR_ORDER = { scan: 'write_date asc, id asc', bucket: 'id asc' } as const;

/** Where a pass starts: at the cursor, or earlier at `rereadFrom` (the late-commit window). */
export function startOf(cursor: CursorPosition | null, rereadFrom: string | null): CursorRead {
  if (!cursor) return { mode: 'scan', from: rereadFrom };
  if (rereadFrom !== null && rereadFrom < cursor.writeDate) return { mode: 'scan', from: rereadFrom };
  return cursor.lastId > 0 ? { mode: 'bucket', second: cursor.writeDate, afterId: cursor.lastId } : { mode: 'scan', from: cursor.writeDate };
}

export function domainOf(read: CursorRead): OdooDomain {
  if (read.mode === 'scan') return read.from === null ? [] : [['write_date', '>=', read.from]];
  return [
    ['write_date', '>=', read.second],
    ['write_date', '<', shiftedSecond(read.second, 1)],
    ['id', '>', read.afterId],
  ];
}

/**
 * The plan for a page of `limit` asked with `read`. A scan page (ordered by `write_date`, which Odoo
 * sorts with its microseconds) holds every record of each second it shows but perhaps its last: those
 * are taken and the scan goes on from the last second. A full page of one second is that second's
 * bucket, read again by id, a page at a time, then the scan goes on after it. Each plan either takes
 * records or moves to a bucket, so a pass always ends, and no record is taken twice or skipped.
 */
export function planPage(read: CursorRead, page: OdooRecord[], limit: number): PagePlan {
  if (page.length === 0) {
    if (read.mode === 'scan') return { take: [], position: null, next: null };
    // The bucket is exhausted: the cursor may move past its second with nothing to write.
    const after = shiftedSecond(read.second, 1);
    return { take: [], position: { writeDate: after, lastId: 0 }, next: { mode: 'scan', from: after } };
  }
  if (read.mode === 'bucket') {
    if (page.length < limit) {
      const after = shiftedSecond(read.second, 1);
      return { take: page, position: { writeDate: after, lastId: 0 }, next: { mode: 'scan', from: after } };
    }
    const lastId = page[page.length - 1].id;
    return { take: page, position: { writeDate: read.second, lastId }, next: { mode: 'bucket', second: read.second, afterId: lastId } };
  }
  const lastSecond = secondOf(page[page.length - 1].write_date);
  if (page.length < limit) return { take: page, position: { writeDate: shiftedSecond(lastSecond, 1), lastId: 0 }, next: null };
  const take = page.filter((record) => secondOf(record.write_date) < lastSecond);
  if (take.length === 0) return { take, position: null, next: { mode: 'bucket', second: lastSecond, afterId: 0 } };
  return { take, position: { writeDate: lastSecond, lastId: 0 }, next: { mode: 'scan', from: lastSecond } };
}

/** The second a `write_date` as Odoo sends it falls in. */
export function secondOf(writeDate: string): string {
  return writeDate.slice(0, 19);
}

export function isAfter(a: CursorPosition, b: CursorPosition): boolean {
  return a.writeDate > b.writeDate || (a.writeDate === b.writeDate && a.lastId > b.lastId);
}

/** `second` moved by `seconds` (negative: earlier), as `YYYY-MM-DD HH:MM:SS`. */
export function shiftedSecond(second: string, seconds: number): string {
  return secondAt(Date.parse(`${second.replace(' ', 'T')}Z`) + seconds * 1000);
}

/** A time in milliseconds as the second it falls in, `YYYY-MM-DD HH:MM:SS` UTC. */
export function secondAt(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
