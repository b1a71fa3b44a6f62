import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose records may now be created without an owner. */
const TABLES = ['crm_customer', 'crm_opportunity'];

/**
 * Customers and opportunities may have no owner: a caller needs no directory entry, so one who has
 * none, converting a lead without an owner, creates them unowned instead of being refused on an
 * `ownerId` they never sent. Only the column's nullability changes (its type, index and foreign key
 * stay), which every database alters in place.
 */
export class CrmOptionalOwners1764600000401 implements MigrationInterface {
  name = 'CrmOptionalOwners1764600000401';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await setOwnerNullable(queryRunner, table, true);
  }

  /** Refused while a record has no owner: there is no one to give it back. */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      const escape = (name: string) => queryRunner.connection.driver.escape(name);
      const [row] = await queryRunner.query(`SELECT COUNT(*) AS ${escape('n')} FROM ${escape(table)} WHERE ${escape('ownerId')} IS NULL`);
      if (Number(row.n) > 0) throw new Error(`${table} has ${row.n} records without an owner; give them owners before reverting CrmOptionalOwners1764600000401`);
    }
    for (const table of TABLES) await setOwnerNullable(queryRunner, table, false);
  }
}

async function setOwnerNullable(queryRunner: QueryRunner, tableName: string, nullable: boolean): Promise<void> {
  const table = await queryRunner.getTable(tableName);
  const column = table?.findColumnByName('ownerId');
  if (!table || !column) throw new Error(`${tableName}.ownerId is missing`);
  const changed = column.clone();
  changed.isNullable = nullable;
  await queryRunner.changeColumn(table, column, changed);
}
