import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Narrows `loader` (alias `alias`) to the ids its `pages` select, in one query: each page is a query
 * selecting `<alias>.id AS id` with its own ORDER BY and LIMIT (a board column's first cards, read off
 * that column's index and stopping at its limit), the pages joined by UNION ALL into a derived table
 * the loader joins on its primary key. Each page is wrapped in a derived table of its own, the one
 * place every supported database (MariaDB/MySQL, PostgreSQL, SQLite) allows a UNION branch its own
 * ORDER BY and LIMIT.
 *
 * The pages' parameters join the loader's: a parameter a page shares with the loader or another page
 * (a filter, the visibility rule) must hold the same value there, so each page names its own column
 * key uniquely.
 */
export function joinUnionOfPages<T extends ObjectLiteral>(loader: SelectQueryBuilder<T>, alias: string, pages: SelectQueryBuilder<ObjectLiteral>[]): SelectQueryBuilder<T> {
  const escape = (name: string) => loader.connection.driver.escape(name);
  const branches = pages.map((page, i) => {
    loader.setParameters(page.getParameters());
    return `SELECT ${escape('id')} FROM (${page.getQuery()}) ${escape(`page${i}`)}`;
  });
  return loader.innerJoin(`(${branches.join(' UNION ALL ')})`, 'pages', `${escape('pages')}.${escape('id')} = ${alias}.id`);
}
