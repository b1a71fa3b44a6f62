import type { EntityManager } from 'typeorm';
import { IntakeKeyLocks } from './intake-key-locks.service';
import type { IntakeRecord } from './intake-record';

/** The slots one `lockKeysOf` call asked for, read off the query it built. */
async function slotsLockedFor(records: IntakeRecord[]): Promise<number[][]> {
  const asked: number[][] = [];
  const query = {
    select: () => query,
    where: (_sql: string, params: { slots: number[] }) => {
      asked.push(params.slots);
      return query;
    },
    orderBy: () => query,
    getRawMany: async () => [],
  };
  const manager = { createQueryBuilder: () => query } as unknown as EntityManager;
  const transactions = { supportsRowLocks: true, forUpdate: (q: unknown) => q };
  await new IntakeKeyLocks(transactions as never).lockKeysOf(manager, records);
  return asked;
}

describe('IntakeKeyLocks', () => {
  it('locks the same slots for the same person written differently, in ascending order', async () => {
    const [first] = await slotsLockedFor([{ email: 'Ann@Acme.example ', phone: '+1 (555) 010-9999', companyName: 'ACME', website: 'https://www.acme.example/about' }]);
    const [again] = await slotsLockedFor([{ email: 'ann@acme.example', phone: '15550109999', companyName: ' acme ', website: 'acme.example' }]);
    expect(again).toEqual(first);
    expect(first).toEqual([...first].sort((a, b) => a - b));
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.every((slot) => Number.isInteger(slot) && slot >= 0 && slot < 1024)).toBe(true);
  });

  it('locks each slot of a batch once, and nothing for records without a key', async () => {
    const [batch] = await slotsLockedFor([{ email: 'a@x.example' }, { email: 'A@X.example' }, { name: 'No keys' }]);
    expect(batch).toHaveLength(1);
    await expect(slotsLockedFor([{ name: 'No keys' }])).resolves.toEqual([]);
  });

  it('locks nothing where the database runs one transaction at a time (SQLite)', async () => {
    const manager = { createQueryBuilder: () => Promise.reject(new Error('no query expected')) } as unknown as EntityManager;
    await expect(new IntakeKeyLocks({ supportsRowLocks: false } as never).lockKeysOf(manager, [{ email: 'a@x.example' }])).resolves.toBeUndefined();
  });
});
