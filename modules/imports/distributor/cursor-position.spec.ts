import fc from 'fast-check';
import { odooDatetimeString, parseDomainDatetime, timestampText } from '../../../test/fakes/odoo-fake-store';
import { CURSOR_ORDER, domainOf, planPage, startOf, type CursorPosition, type CursorRead } from './cursor-position';
import type { OdooRecord } from './odoo-client';

/** Stored records: id and microsecond write_date, as PostgreSQL holds them under Odoo. */
interface Stored {
  id: number;
  micros: number;
}

const BASE = Date.UTC(2026, 2, 3, 8, 2, 0) * 1000;

const prepared = new WeakMap<Stored[], { byWrite: Array<{ id: number; text: string }>; byId: Array<{ id: number; text: string }> }>();

/** `search_read` as Odoo answers the cursor's two queries: domain values mean .000000, order on the stored micros. */
function searchRead(stored: Stored[], read: CursorRead, limit: number): OdooRecord[] {
  let rows = prepared.get(stored);
  if (!rows) {
    const all = stored.map((r) => ({ id: r.id, text: timestampText(r.micros) }));
    rows = { byWrite: [...all].sort((a, b) => (a.text === b.text ? a.id - b.id : a.text < b.text ? -1 : 1)), byId: [...all].sort((a, b) => a.id - b.id) };
    prepared.set(stored, rows);
  }
  const leaves = domainOf(read).map(([field, operator, value]) => ({ field, operator, bound: field === 'id' ? (value as number) : parseDomainDatetime(value).text }));
  const matches = (row: { id: number; text: string }) =>
    leaves.every(({ field, operator, bound }) => {
      const actual = field === 'id' ? row.id : row.text;
      return operator === '>=' ? actual >= bound : operator === '<' ? actual < bound : actual > bound;
    });
  const page: OdooRecord[] = [];
  for (const row of CURSOR_ORDER[read.mode] === 'id asc' ? rows.byId : rows.byWrite) {
    if (page.length === limit) break;
    if (matches(row)) page.push({ id: row.id, write_date: odooDatetimeString(row.text) });
  }
  return page;
}

/** One pass from `from` as the sync runs it; every record taken, the cursor after each page, the calls. */
function pass(stored: Stored[], limit: number, from: CursorPosition | null) {
  const taken: number[] = [];
  let read: CursorRead | null = startOf(from, null);
  let calls = 0;
  let cursor = from;
  while (read) {
    const plan = planPage(read, searchRead(stored, read, limit), limit);
    taken.push(...plan.take.map((r) => r.id));
    if (plan.position) cursor = plan.position;
    read = plan.next;
    if (++calls > 10 * stored.length + 10) throw new Error('the pass does not end');
  }
  return { taken, cursor, calls };
}

/** Transactions of records: each shares one microsecond write_date (its start); ids from a sequence. */
const history = fc
  .array(fc.record({ size: fc.integer({ min: 1, max: 40 }), offsetMicros: fc.integer({ min: 0, max: 4_000_000 }) }), { minLength: 0, maxLength: 25 })
  .map((transactions) => {
    const stored: Stored[] = [];
    let micros = BASE;
    for (const { size, offsetMicros } of transactions) {
      micros += offsetMicros;
      for (let i = 0; i < size; i++) stored.push({ id: stored.length + 1, micros });
    }
    // Ids are handed out at insert time, not commit time: shuffle them against write order.
    const ids = stored.map((r) => r.id).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101));
    return stored.map((r, i) => ({ ...r, id: ids[i] }));
  });

describe('The distributor cursor (whole seconds, then a full second by id)', () => {
  it('takes every record exactly once and ends, whatever the microseconds, the ties and the page size', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 30 }), (stored, limit) => {
        const { taken } = pass(stored, limit, null);
        expect([...taken].sort((a, b) => a - b)).toEqual(stored.map((r) => r.id).sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it('reads nothing again on the next pass, and resumes exactly from any page where a pass stopped', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 30 }), fc.nat(), (stored, limit, stopAt) => {
        const first = pass(stored, limit, null);
        expect(pass(stored, limit, first.cursor).taken).toEqual([]);
        // A pass that stopped after some page (a crash, a refusal) and the next pass, from its cursor.
        const cursors: Array<{ cursor: CursorPosition | null; taken: number }> = [{ cursor: null, taken: 0 }];
        let read: CursorRead | null = startOf(null, null);
        let taken = 0;
        let cursor: CursorPosition | null = null;
        while (read) {
          const plan = planPage(read, searchRead(stored, read, limit), limit);
          taken += plan.take.length;
          if (plan.position) cursor = plan.position;
          if (plan.take.length) cursors.push({ cursor, taken });
          read = plan.next;
        }
        const stop = cursors[stopAt % cursors.length];
        const rest = pass(stored, limit, stop.cursor).taken;
        expect(stop.taken + rest.length).toBe(stored.length);
      }),
      { numRuns: 300 },
    );
  });

  it('imports a 10,000-record single-transaction write in pages of 200 by id, once each, and ends', () => {
    const stored: Stored[] = Array.from({ length: 10_000 }, (_, i) => ({ id: i + 1, micros: BASE + 513_274 }));
    const { taken, calls } = pass(stored, 200, null);
    expect(new Set(taken).size).toBe(10_000);
    expect(taken).toHaveLength(10_000);
    // One scan page finds the full second, 50 pages read it by id, one more finds it ended, one scans on.
    expect(calls).toBe(53);
  });
});
