import type { EntityManager } from 'typeorm';
import { IntakeKeyLocks } from './intake-key-locks.service';
import { INTAKE_LOCK_SLOTS } from './intake-lock-slot.entity';
import type { RecordKeys } from './page-matches';

const NO_KEYS: RecordKeys = { emailKey: null, phoneKey: null, nameKey: null, websiteDomain: null, tin: null, importKey: null };

/** The slots each `lockKeysOf` call asked for, read off the statement it sent. */
async function slotsLockedFor(keys: Partial<RecordKeys>[]): Promise<number[][]> {
  const asked: number[][] = [];
  const manager = {
    connection: { driver: { escape: (name: string) => `"${name}"` }, getMetadata: () => ({ tablePath: 'crm_intake_lock_slot' }) },
    query: async (sql: string) => {
      const list = /IN \(([^)]*)\) ORDER BY "slot" FOR UPDATE$/.exec(sql);
      if (!list) throw new Error(`Unexpected statement: ${sql}`);
      asked.push(list[1].split(', ').map(Number));
      return [];
    },
  } as unknown as EntityManager;
  await new IntakeKeyLocks({ supportsRowLocks: true } as never).lockKeysOf(
    manager,
    keys.map((k) => ({ ...NO_KEYS, ...k })),
  );
  return asked;
}

describe('IntakeKeyLocks', () => {
  const ann = { emailKey: 'ann@acme.example', phoneKey: '15550109999', nameKey: 'acme', websiteDomain: 'acme.example', tin: '7701234567' };

  it('locks the same slots for the same keys, in ascending order, one per key at most', async () => {
    const [first] = await slotsLockedFor([ann]);
    const [again] = await slotsLockedFor([{ ...ann }]);
    expect(again).toEqual(first);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.length).toBeLessThanOrEqual(5);
    expect(first.every((slot) => Number.isInteger(slot) && slot >= 0 && slot < INTAKE_LOCK_SLOTS)).toBe(true);
  });

  it('locks each slot of a page once, and runs no query for records without keys', async () => {
    const [page] = await slotsLockedFor([{ emailKey: 'a@x.example' }, { emailKey: 'a@x.example' }, {}]);
    expect(page).toHaveLength(1);
    await expect(slotsLockedFor([{}])).resolves.toEqual([]);
  });

  it('tells keys of different kinds apart (a TIN is not the phone number with the same digits)', async () => {
    const asPhone = await slotsLockedFor(Array.from({ length: 20 }, (_, i) => ({ phoneKey: `77012345${i}` })));
    const asTin = await slotsLockedFor(Array.from({ length: 20 }, (_, i) => ({ tin: `77012345${i}` })));
    expect(asTin[0]).not.toEqual(asPhone[0]);
  });

  it('locks nothing where the database runs one transaction at a time (SQLite)', async () => {
    const manager = { query: () => Promise.reject(new Error('no query expected')) } as unknown as EntityManager;
    await expect(new IntakeKeyLocks({ supportsRowLocks: false } as never).lockKeysOf(manager, [{ ...NO_KEYS, emailKey: 'a@x.example' }])).resolves.toBeUndefined();
  });
});
