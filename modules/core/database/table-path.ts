import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity's table as raw SQL names it: its full path (with the host's schema or database when the
 * DataSource sets one, e.g. PostgreSQL `"crm"."crm_lead"`), each part quoted by the driver.
 */
export function escapedTablePath(connection: DataSource, target: EntityTarget<ObjectLiteral>): string {
  return connection
    .getMetadata(target)
    .tablePath.split('.')
    .map((part) => connection.driver.escape(part))
    .join('.');
}
