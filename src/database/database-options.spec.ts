import { databaseOptions, describeDatabase } from './database-options';

describe('the demo host database (CRM_DB_URL)', () => {
  it.each([
    ['postgres://crm:secret@db:5432/crm', 'postgres', 'postgres://crm:secret@db:5432/crm'],
    ['postgresql://crm:secret@db/crm?sslmode=require', 'postgres', 'postgres://crm:secret@db/crm?sslmode=require'],
    ['mysql://root@127.0.0.1:3306/crm', 'mysql', 'mysql://root@127.0.0.1:3306/crm'],
    ['mariadb://root@127.0.0.1:3306/crm', 'mariadb', 'mysql://root@127.0.0.1:3306/crm'],
  ])('%s connects with the %s driver', (url, type, driverUrl) => {
    expect(databaseOptions(url)).toMatchObject({ type, url: driverUrl, synchronize: false });
  });

  it('takes sqlite: paths and memory', () => {
    expect(databaseOptions('sqlite:./data/x.sqlite')).toMatchObject({ type: 'better-sqlite3', database: './data/x.sqlite', enableWAL: true });
    expect(databaseOptions('sqlite::memory:')).toMatchObject({ type: 'better-sqlite3', database: ':memory:', enableWAL: false });
  });

  it.each(['mongodb://u:hunter2@db/crm', 'postgres:crm', 'oracle://db/crm'])('refuses %s, naming the accepted forms without the password', (url) => {
    expect(() => databaseOptions(url)).toThrow(/^CRM_DB_URL must be sqlite:<path>, .*postgres:\/\/… or postgresql:\/\/… \(got [a-z]+:…\)$/);
    expect(() => databaseOptions(url)).not.toThrow(/hunter2/);
  });

  it('refuses what is no URL without echoing it', () => {
    expect(() => databaseOptions('hunter2@db/crm')).toThrow('CRM_DB_URL is not a URL; it must be sqlite:<path>, sqlite::memory:, mysql://…, mariadb://…, postgres://… or postgresql://…');
    expect(() => databaseOptions('hunter2@db/crm')).not.toThrow(/hunter2/);
  });

  it('names the server in the start log, password masked', () => {
    expect(describeDatabase('postgresql://crm:secret@db:5432/crm')).toBe('PostgreSQL at postgresql://crm:***@db:5432/crm');
    expect(describeDatabase('mariadb://root@127.0.0.1:3306/crm')).toBe('MariaDB at mariadb://root@127.0.0.1:3306/crm');
  });
});
