import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The NULLS clause that makes PostgreSQL sort a nullable column as MySQL/MariaDB and SQLite do
 * (NULLs first ascending, last descending; PostgreSQL's default is the other way round), so a list
 * pages the same on every database. None elsewhere (MySQL has no such clause) nor for a column that
 * cannot be NULL, whose index PostgreSQL then still reads in order.
 */
export function nullsAsElsewhere<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  property: string,
  direction: 'ASC' | 'DESC',
): 'NULLS FIRST' | 'NULLS LAST' | undefined {
  if (dataSource.options.type !== 'postgres' || !dataSource.getMetadata(entity).findColumnWithPropertyName(property)?.isNullable) return undefined;
  return direction === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST';
}
