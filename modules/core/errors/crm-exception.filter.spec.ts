import { QueryFailedError } from 'typeorm';
import { fromDatabaseError } from './crm-exception.filter';

/** A failed statement as TypeORM throws it, with the driver error's own code. */
const failed = (code: string, message: string) => new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code }));

describe('fromDatabaseError', () => {
  it.each([
    ['MySQL/MariaDB', 'ER_DUP_ENTRY'],
    ['SQLite', 'SQLITE_CONSTRAINT_UNIQUE'],
    ['PostgreSQL', '23505'],
  ])('answers a unique-key violation of %s as DUPLICATE (409)', (_, code) => {
    expect(fromDatabaseError(failed(code, 'duplicate key'))?.code).toBe('DUPLICATE');
  });

  it.each([
    ['MySQL/MariaDB', 'ER_NO_REFERENCED_ROW_2'],
    ['MySQL/MariaDB', 'ER_ROW_IS_REFERENCED_2'],
    ['SQLite', 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    ['PostgreSQL', '23503'],
  ])('answers a foreign-key violation of %s as IN_USE (409)', (_, code) => {
    expect(fromDatabaseError(failed(code, 'violates foreign key constraint'))?.code).toBe('IN_USE');
  });

  it('leaves any other failure unknown (a PostgreSQL NOT NULL violation, a plain error)', () => {
    expect(fromDatabaseError(failed('23502', 'null value in column'))).toBeUndefined();
    expect(fromDatabaseError(new Error('23505'))).toBeUndefined();
  });
});
