import { TableForeignKey } from 'typeorm';
import type { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Column shapes that differ between MySQL/MariaDB, PostgreSQL and SQLite, written once so every CRM
 * migration produces exactly what the entities declare on each database.
 */
export function isMysqlFamily(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'postgres';
}

export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

export function intColumn(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'integer', ...options };
}

export function varcharColumn(name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), ...options };
}

export function textColumn(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'text', ...options };
}

/**
 * A boolean: `tinyint` on MySQL/MariaDB and an integer on SQLite (default `1`/`0`), PostgreSQL's own
 * `boolean` there (default `true`/`false`: it refuses an integer default for a boolean).
 */
export function booleanColumn(queryRunner: QueryRunner, name: string, defaultValue?: boolean, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  const spelled = isPostgres(queryRunner) ? String(defaultValue) : defaultValue ? '1' : '0';
  return { name, type: 'boolean', ...(defaultValue === undefined ? {} : { default: spelled }), ...options };
}

export function decimalColumn(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'decimal', precision: 14, scale: 2, ...options };
}

export function dateColumn(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'date', ...options };
}

/**
 * A plain datetime, as `@Column({ type: Date })` declares it: `datetime` on MySQL/MariaDB and SQLite,
 * `timestamp` (without time zone, microseconds) on PostgreSQL, which has no `datetime`.
 */
export function datetimeColumn(queryRunner: QueryRunner, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  if (isPostgres(queryRunner)) return { name, type: 'timestamp', ...options };
  return { name, type: 'datetime', ...(isMysqlFamily(queryRunner) ? { precision: 6 } : {}), ...options };
}

/** As `@CreateDateColumn()` declares it. */
export function createdAtColumn(queryRunner: QueryRunner, name = 'createdAt'): TableColumnOptions {
  if (isPostgres(queryRunner)) return { name, type: 'timestamp', default: 'now()' };
  return isMysqlFamily(queryRunner)
    ? { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)' }
    : { name, type: 'datetime', default: "datetime('now')" };
}

/** As `@UpdateDateColumn()` declares it (PostgreSQL has no `ON UPDATE`: TypeORM sets the value on every save). */
export function updatedAtColumn(queryRunner: QueryRunner, name = 'updatedAt'): TableColumnOptions {
  if (isPostgres(queryRunner)) return { name, type: 'timestamp', default: 'now()' };
  return isMysqlFamily(queryRunner)
    ? { name, type: 'datetime', precision: 6, default: 'CURRENT_TIMESTAMP(6)', onUpdate: 'CURRENT_TIMESTAMP(6)' }
    : { name, type: 'datetime', default: "datetime('now')" };
}

/** A foreign key named as the entity names it; `ON UPDATE NO ACTION` spelled out, as MariaDB would otherwise report RESTRICT. */
export function foreignKey(
  name: string,
  column: string,
  referencedTable: string,
  onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' = 'NO ACTION',
): TableForeignKey {
  return new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: referencedTable,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  });
}
