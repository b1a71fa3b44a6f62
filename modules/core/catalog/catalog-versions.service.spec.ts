import type { DataSource, EntityManager } from 'typeorm';
import { CatalogVersions } from './catalog-versions.service';

/** A database whose version row answers each read with the version it holds when the read is sent. */
function fakeDatabase() {
  let version = 1;
  const sent: ((rows: { version: number }[]) => void)[] = [];
  const manager = {
    query: jest.fn(() => {
      const value = version;
      return new Promise((resolve) => sent.push(() => resolve([{ version: value }])));
    }),
  };
  const dataSource = {
    manager,
    createQueryBuilder: () => ({ select: () => ({ from: () => ({ where: () => ({ getQueryAndParameters: () => ['SELECT version', ['sources']] }) }) }) }),
  } as unknown as DataSource;
  return {
    versions: new CatalogVersions(dataSource),
    manager,
    commitWrite: () => (version += 1),
    /** Answers the oldest read on its way. */
    answer: async () => {
      sent.shift()!([]);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('CatalogVersions.current', () => {
  it('shares one read among callers arriving before it is sent, and never answers a caller with a read sent before its call', async () => {
    const db = fakeDatabase();
    const first = db.versions.current('sources');
    db.commitWrite();
    // Arrived after a write committed while the first read was on its way: must not take that read.
    const second = db.versions.current('sources');
    const third = db.versions.current('sources');
    await db.answer();
    await expect(first).resolves.toBe(1);
    expect(db.manager.query).toHaveBeenCalledTimes(2);
    await db.answer();
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
    expect(db.manager.query).toHaveBeenCalledTimes(2);
  });

  it("reads in a transaction with the transaction's own manager, unshared", async () => {
    const db = fakeDatabase();
    const inTransaction = { queryRunner: {}, query: jest.fn(async () => [{ version: 7 }]) } as unknown as EntityManager;
    await expect(db.versions.current('sources', inTransaction)).resolves.toBe(7);
    expect(db.manager.query).not.toHaveBeenCalled();
  });

  it('answers null when the row is missing, so nothing gets cached', async () => {
    const db = fakeDatabase();
    const empty = { queryRunner: {}, query: jest.fn(async () => []) } as unknown as EntityManager;
    await expect(db.versions.current('sources', empty)).resolves.toBeNull();
  });
});
