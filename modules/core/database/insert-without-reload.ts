import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts one row and answers its generated id, without the SELECT TypeORM's `insert()` issues to
 * read back defaulted columns (version, timestamps): bulk writers (imports) need only the id.
 */
export async function insertWithoutReload<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: Partial<T>): Promise<number> {
  const result = await manager.createQueryBuilder().insert().into(target).values(values as never).updateEntity(false).execute();
  const raw: unknown = result.raw;
  // MySQL/MariaDB answer a result header; better-sqlite3 the last row id.
  const id = typeof raw === 'object' && raw !== null && 'insertId' in raw ? (raw as { insertId: number | bigint }).insertId : (raw as number | bigint);
  return Number(id);
}
