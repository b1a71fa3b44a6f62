import { Inject, Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../options/crm-module-options';
import { countUpTo, type PageTotal } from './page';

/** Counts a list's matching records up to the configured cap (`CrmModuleOptions.lists.totalCap`). */
@Injectable()
export class ListTotals {
  constructor(@Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions) {}

  /**
   * `atMost`: a bound the caller knows on what `query` can match (see `countUpTo`); `cap`: a lower cap than the
   * configured one, for a list that reports less (a broad search).
   */
  count<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, { atMost, cap }: { atMost?: number; cap?: number } = {}): Promise<PageTotal> {
    return countUpTo(query, Math.min(cap ?? Infinity, this.options.lists.totalCap), atMost);
  }

  /** A count already known in full (a list served from memory), reported as the database-counted lists report theirs (`cap`: see `count`). */
  ofCount(count: number, { cap: lower }: { cap?: number } = {}): PageTotal {
    const cap = Math.min(lower ?? Infinity, this.options.lists.totalCap);
    return { total: Math.min(count, cap), totalCapped: count > cap };
  }

  /**
   * The total a page already tells, with no count: a page shorter than its limit is the last one, so the total is
   * what precedes it plus its own (an empty page past the first tells nothing: the records may end earlier).
   */
  ofShortPage(found: number, page: { page: number; limit: number }): PageTotal | undefined {
    if (found >= page.limit || (found === 0 && page.page > 1)) return undefined;
    return this.ofCount((page.page - 1) * page.limit + found);
  }

  /** The records of the page `query` selects (its sort, offset and size) and the capped count of all it matches. */
  itemsAndTotal<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<[T[], PageTotal]> {
    return Promise.all([query.getMany(), this.count(query)]);
  }
}
