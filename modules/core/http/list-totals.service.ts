import { Inject, Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../options/crm-module-options';
import { countUpTo, type PageTotal } from './page';

/** Counts a list's matching records up to the configured cap (`CrmModuleOptions.lists.totalCap`). */
@Injectable()
export class ListTotals {
  constructor(@Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions) {}

  count<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<PageTotal> {
    return countUpTo(query, this.options.lists.totalCap);
  }

  /** A count already known in full (a list served from memory), reported as the database-counted lists report theirs. */
  ofCount(count: number): PageTotal {
    const cap = this.options.lists.totalCap;
    return { total: Math.min(count, cap), totalCapped: count > cap };
  }

  /** The records of the page `query` selects (its sort, offset and size) and the capped count of all it matches. */
  itemsAndTotal<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): Promise<[T[], PageTotal]> {
    return Promise.all([query.getMany(), this.count(query)]);
  }
}
