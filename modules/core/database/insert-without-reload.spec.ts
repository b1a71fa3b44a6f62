import type { EntityManager } from 'typeorm';
import { insertManyWithoutReload } from './insert-without-reload';

const companyMetadata = {
  tablePath: 'crm_company',
  primaryColumns: [{ databaseName: 'id' }],
  columns: [{ propertyName: 'name', databaseName: 'name', isNullable: false, default: undefined }],
};

/** A MySQL-like manager that records the statements sent and answers ids from `firstId` up, `step` apart. */
function mysqlManager(settings: { lockMode: number; step: number }, firstId = 10) {
  const statements: string[] = [];
  let next = firstId;
  const manager = {
    connection: {
      options: { type: 'mariadb' },
      driver: { escape: (name: string) => `\`${name}\``, createParameter: () => '?', preparePersistentValue: (value: unknown) => value },
      getMetadata: () => companyMetadata,
    },
    query: async (sql: string, parameters: unknown[] = []) => {
      if (sql.startsWith('SELECT @@')) return [{ lockMode: String(settings.lockMode), step: String(settings.step) }];
      statements.push(sql);
      const insertId = next;
      next += parameters.length * settings.step;
      return { insertId, affectedRows: parameters.length };
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

const rows = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

describe('insertManyWithoutReload on MySQL/MariaDB', () => {
  it('inserts the rows in one statement and counts their ids on from the first, by auto_increment_increment', async () => {
    const { manager, statements } = mysqlManager({ lockMode: 1, step: 2 });
    await expect(insertManyWithoutReload(manager, 'Company', rows)).resolves.toEqual([10, 12, 14]);
    expect(statements).toEqual(['INSERT INTO `crm_company` (`name`) VALUES (?), (?), (?)']);
  });

  it('inserts row by row when InnoDB interleaves ids between statements (innodb_autoinc_lock_mode 2)', async () => {
    const { manager, statements } = mysqlManager({ lockMode: 2, step: 1 });
    await expect(insertManyWithoutReload(manager, 'Company', rows)).resolves.toEqual([10, 11, 12]);
    expect(statements).toHaveLength(3);
  });
});

describe('insertManyWithoutReload on PostgreSQL', () => {
  it('inserts the rows in one statement with numbered parameters and answers the ids RETURNING gives, in the rows\' order', async () => {
    const statements: { sql: string; parameters: unknown[] }[] = [];
    const manager = {
      connection: {
        options: { type: 'postgres' },
        driver: { escape: (name: string) => `"${name}"`, createParameter: (_: string, index: number) => `$${index + 1}`, preparePersistentValue: (value: unknown) => value },
        getMetadata: () => companyMetadata,
      },
      query: async (sql: string, parameters: unknown[]) => {
        statements.push({ sql, parameters });
        // Ids another writer's rows left gaps between: nothing is counted, each row's own is read.
        return [{ id: 7 }, { id: 9 }, { id: 40 }];
      },
    } as unknown as EntityManager;
    await expect(insertManyWithoutReload(manager, 'Company', rows)).resolves.toEqual([7, 9, 40]);
    expect(statements).toEqual([{ sql: 'INSERT INTO "crm_company" ("name") VALUES ($1), ($2), ($3) RETURNING "id"', parameters: ['a', 'b', 'c'] }]);
  });
});
