import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Type as ClassType } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** The largest page a list returns. */
export const MAX_PAGE_SIZE = 200;

/** The last page number a list takes: its offset (up to 2*10^8 records) stays an exact integer on every database. */
export const MAX_PAGE = 1_000_000;

export interface PageQuery {
  page: number;
  limit: number;
}

/** `page` (from 1) and `limit` (1..200) query parameters shared by every list. */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'Which page, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, description: 'Records per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;
}

/** The default of `CrmListOptions.totalCap`: lists count their matching records exactly up to this many. */
export const DEFAULT_TOTAL_CAP = 10_000;

/** How many records match a list: exact up to the cap; beyond it, `total` is the cap and `totalCapped` is true. */
export interface PageTotal {
  total: number;
  totalCapped: boolean;
}

export interface Page<T> extends PageTotal {
  items: T[];
  page: number;
  limit: number;
}

export function toPage<T>(items: T[], count: PageTotal, query: PageQuery): Page<T> {
  return { items, total: count.total, totalCapped: count.totalCapped, page: query.page, limit: query.limit };
}

/**
 * Counts the rows `query` matches, reading at most `cap + 1` of them: a count that stops, so a list's total costs the
 * same at a million matching records as at ten thousand (an exact `COUNT(*)` reads every matching index entry).
 * Sort, offset and page size of `query` are ignored; rows are told apart by the main alias's primary key, so joins
 * that repeat a row do not inflate the count. `atMost`, when the caller knows the query cannot match more rows (it
 * names its ids), skips the MySQL probe below when that bound is within the cap.
 */
export async function countUpTo<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, cap: number, atMost = Infinity): Promise<PageTotal> {
  const alias = query.alias;
  const { primaryColumns } = query.expressionMap.mainAlias!.metadata;
  const probe = query.clone().orderBy().skip(undefined).take(undefined).offset(undefined).limit(cap + 1);
  probe.select(primaryColumns.map((column) => `${alias}.${column.propertyPath}`));
  if (probe.expressionMap.joinAttributes.length) probe.distinct(true);
  // MySQL and MariaDB write every row of the LIMITed derived table below to a temporary table before counting them
  // (PostgreSQL and SQLite stream it): there the row past the cap is asked for first, which reads the same index
  // entries and writes none, about half the work of a capped count; only a total under the cap is then counted.
  if (atMost > cap && MYSQL_FAMILY.has(query.connection.options.type) && (await probe.clone().offset(cap).limit(1).getRawOne()) !== undefined) return { total: cap, totalCapped: true };
  // A new builder from `query` keeps its query runner (its transaction, when it runs in one).
  const row: { n: number | string } | undefined = await query
    .createQueryBuilder()
    .select('COUNT(*)', 'n')
    .from(`(${probe.getQuery()})`, 'counted')
    .setParameters(probe.getParameters())
    .getRawOne();
  const n = Number(row?.n ?? 0);
  return n > cap ? { total: cap, totalCapped: true } : { total: n, totalCapped: false };
}

const MYSQL_FAMILY = new Set<string>(['mysql', 'mariadb', 'aurora-mysql']);

export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { ...page, items: page.items.map(map) };
}

/** A Swagger-described page class for one item DTO. */
export function PageOf<T>(item: ClassType<T>): ClassType<Page<T>> {
  class PageDto implements Page<T> {
    @ApiProperty({ type: item, isArray: true })
    items: T[];
    @ApiProperty({
      description: 'Number of matching records over all pages, counted exactly up to a cap (`CrmModuleOptions.lists.totalCap`, default 10,000); beyond it, the cap, and `totalCapped` is true',
    })
    total: number;
    @ApiProperty({ description: 'True when more records match than the cap the list counts up to: `total` then holds the cap ("10,000+")' })
    totalCapped: boolean;
    @ApiProperty()
    page: number;
    @ApiProperty()
    limit: number;
  }
  Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
  return PageDto;
}
