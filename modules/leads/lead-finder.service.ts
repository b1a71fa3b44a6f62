import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { joinUnionOfPages } from '../core/database/union-of-pages';
import { nullsAsElsewhere } from '../core/database/null-order';
import { translate } from '../core/http/accept-language';
import { ListTotals } from '../core/http/list-totals.service';
import { Page, PageTotal, toPage } from '../core/http/page';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { SourceCatalogCache } from '../sources/source-catalog-cache.service';
import { LEAD_CARD_COLUMNS, type LeadBoardColumnDto, type LeadBoardDto, type LeadBoardQueryDto, type LeadCardDto } from './dto/lead-board.dto';
import { LeadDto } from './dto/lead.dto';
import type { LeadFilterDto } from './dto/lead-filter.dto';
import type { LeadQueryDto } from './dto/lead-query.dto';
import { LeadSearchIndex, type LeadSearchPlan } from './lead-search-index.service';
import { LeadTally, type TallyCount } from './lead-tally.service';
import { LEAD_STATUS_LABELS, LEAD_STATUSES } from './lead-status';
import { Lead } from './lead.entity';
import { LeadRows } from './lead-rows';

/** Which filters the tally answers (it counts by source and status alone); every filter must say, so a new one is never ignored. */
const TALLY_ANSWERS: Record<keyof LeadFilterDto, boolean> = {
  status: true,
  sourceId: true,
  sourceType: true,
  ownerId: false,
  companyId: false,
  partnerCompanyId: false,
  createdFrom: false,
  createdTo: false,
  q: false,
};
const FILTERS = Object.keys(TALLY_ANSWERS) as (keyof LeadFilterDto)[];
const SORT_COLUMNS = { createdAt: 'l.createdAt', name: 'l.name', estimatedCloseDate: 'l.estimatedCloseDate' } as const;

/**
 * Finding leads: the filtered, sorted, paged list and the kanban board. Every filter is an
 * equality or range on an indexed column, and `q` a word-prefix search on the token index
 * (`LeadSearchIndex`), so both stay fast on large tables.
 */
@Injectable()
export class LeadFinder {
  private readonly rows: LeadRows;
  private readonly cardRows: LeadRows<LeadCardDto>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly visibility: RecordVisibility,
    private readonly totals: ListTotals,
    private readonly searchIndex: LeadSearchIndex,
    private readonly tally: LeadTally,
    private readonly catalog: SourceCatalogCache,
  ) {
    this.rows = new LeadRows(dataSource);
    this.cardRows = new LeadRows<LeadCardDto>(dataSource, LEAD_CARD_COLUMNS);
  }

  async list(caller: CrmCaller, query: LeadQueryDto): Promise<Page<LeadDto>> {
    const resolved = await this.resolve(caller, query);
    const [rows, early] = await Promise.all([this.rows.select(this.pageQuery(caller, query, resolved)).getRawMany(), this.totalBeforePage(caller, query, resolved)]);
    return toPage(this.rows.toDtos(rows, caller), early ?? (await this.searchTotal(rows.length, caller, query, resolved)), query);
  }

  /**
   * The page's leads with their names. A search's page picks its ids first and joins the names to those alone: its
   * matches are read by primary key and sorted, and sorting whole joined rows (a search resolved to 261 ids) cost
   * MariaDB a third more than sorting the ids and joining 50.
   */
  private pageQuery(caller: CrmCaller, query: LeadQueryDto, resolved: Resolved): SelectQueryBuilder<Lead> {
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const sorted = (qb: SelectQueryBuilder<Lead>) =>
      qb.orderBy(SORT_COLUMNS[query.sort], direction, nullsAsElsewhere(this.dataSource, Lead, query.sort, direction)).addOrderBy('l.id', direction);
    const paged = (qb: SelectQueryBuilder<Lead>) => sorted(qb).offset((query.page - 1) * query.limit).limit(query.limit);
    if (!resolved.search) return paged(this.filtered(caller, query, resolved, true));
    const ids = paged(this.filtered(caller, query, resolved, false, 'walk').select('l.id', 'id'));
    return sorted(joinUnionOfPages(this.filtered(caller, {}, NOTHING_RESOLVED, true), 'l', [ids]));
  }

  /**
   * The total that needs no page, fetched beside it. For a caller who sees every lead: from the tally when the list
   * filters by nothing but status and source (type); when it filters by nothing but `q`, the number of the search's
   * resolved ids, or "more than a search counts" when there were too many to resolve. Otherwise a list without `q`
   * is counted (up to the cap, without the name joins), and a search's total waits for its page.
   */
  private async totalBeforePage(caller: CrmCaller, query: LeadQueryDto, resolved: Resolved): Promise<PageTotal | undefined> {
    const { search } = resolved;
    if (!this.visibility.restricts(caller, 'lead')) {
      const used = FILTERS.filter((name) => query[name] !== undefined);
      // A broad search's `leadIds` is absent: more matches than a search counts.
      if (search && used.every((name) => name === 'q')) return this.totals.ofCount(search.leadIds?.length ?? Infinity, { cap: this.searchIndex.maxResolvedIds });
      const counts = await this.tallied(query, resolved);
      if (counts) return this.totals.ofCount(counts.reduce((sum, row) => sum + row.n, 0));
    }
    return search === undefined ? this.totals.count(this.filtered(caller, query, resolved, false)) : undefined;
  }

  /**
   * A search's total counted from the leads. A search mostly finds less than a page: its page tells its total when
   * short; a search resolved to ids cannot count past them, and a broader one counts only as far as it resolves.
   */
  private async searchTotal(found: number, caller: CrmCaller, query: LeadQueryDto, resolved: Resolved): Promise<PageTotal> {
    const counted = this.filtered(caller, query, resolved, false);
    return this.totals.ofShortPage(found, query) ?? (await this.totals.count(counted, { atMost: resolved.search?.leadIds?.length, cap: this.searchIndex.maxResolvedIds }));
  }

  /**
   * Kanban columns in status order, or in source sequence order, each with its count and first cards:
   * one grouped count and one query for every column's cards, however many columns there are.
   */
  async board(caller: CrmCaller, query: LeadBoardQueryDto, locales: string[]): Promise<LeadBoardDto> {
    const column = query.groupBy === 'source' ? 'l.sourceId' : 'l.status';
    const resolved = await this.resolve(caller, query);
    const counts = await this.columnCounts(caller, query, resolved, column);
    const keys = query.groupBy === 'source' ? await this.sourceColumns(counts, locales) : LEAD_STATUSES.map((s) => ({ key: s, label: LEAD_STATUS_LABELS[s] }));
    const filled = keys.filter(({ key }) => (counts.get(String(key)) ?? 0) > 0).map(({ key }) => key);
    const cards = await this.cards(caller, query, resolved, column, filled);
    const columns: LeadBoardColumnDto[] = keys.map(({ key, label }) => ({
      key,
      label,
      count: counts.get(String(key)) ?? 0,
      cards: cards.get(String(key)) ?? [],
    }));
    return { groupBy: query.groupBy, columns };
  }

  /**
   * Each column's count: from the tally when the board filters by nothing but status and source (type) for a
   * caller who sees every lead, else one grouped count of the matching leads.
   */
  private async columnCounts(caller: CrmCaller, query: LeadBoardQueryDto, resolved: Resolved, column: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const tallied = this.visibility.restricts(caller, 'lead') ? undefined : await this.tallied(query, resolved);
    if (tallied) {
      for (const row of tallied) {
        const key = String(query.groupBy === 'source' ? row.sourceId : row.status);
        counts.set(key, (counts.get(key) ?? 0) + row.n);
      }
      return counts;
    }
    const rows: { groupKey: string | number; n: string | number }[] = await this.filtered(caller, query, resolved, false)
      .select(column, 'groupKey')
      .addSelect('COUNT(*)', 'n')
      .groupBy(column)
      .getRawMany();
    for (const row of rows) counts.set(String(row.groupKey), Number(row.n));
    return counts;
  }

  /**
   * The tally's counts of the leads matching `filter`, when it filters by nothing but status and source (type);
   * `undefined` when the tally cannot answer it. The caller checks the visibility rule (the tally counts every lead).
   */
  private async tallied(filter: LeadFilterDto, resolved: Resolved): Promise<TallyCount[] | undefined> {
    if (!FILTERS.every((name) => TALLY_ANSWERS[name] || filter[name] === undefined)) return undefined;
    const { status, sourceId } = filter;
    const sourceIds = sourceId !== undefined ? (resolved.typeIds ?? [sourceId]).filter((id) => id === sourceId) : resolved.typeIds;
    if (sourceIds?.length === 0) return [];
    return this.tally.counts({ status, sourceIds });
  }

  /** Sources offered for leads, plus any other source that still has matching leads, in picker order (the catalogue's). */
  private async sourceColumns(counts: Map<string, number>, locales: string[]): Promise<{ key: number; label: string }[]> {
    const { ordered } = await this.catalog.current();
    return ordered.filter((s) => (s.active && s.forLeads) || counts.has(String(s.id))).map((s) => ({ key: s.id, label: translate(s.name, s.translations, locales) }));
  }

  /**
   * The newest `limit` leads of each column in `keys`, by column. One query: each column's ids come from
   * its own `ORDER BY createdAt DESC LIMIT n` (read backwards off the column's `(key, createdAt)` index,
   * stopping after n), and the leads with their names are loaded for those ids alone.
   */
  private async cards(caller: CrmCaller, query: LeadBoardQueryDto, resolved: Resolved, column: string, keys: (string | number)[]): Promise<Map<string, LeadCardDto[]>> {
    const byKey = new Map<string, LeadCardDto[]>();
    if (keys.length === 0) return byKey;
    // Every page is built as the loader is, so the parameters they share (filters, visibility) hold the same values.
    const pages = keys.map((key, i) =>
      this.filtered(caller, query, resolved, false)
        .select('l.id', 'id')
        .andWhere(`${column} = :boardKey${i}`, { [`boardKey${i}`]: key })
        .orderBy('l.createdAt', 'DESC')
        .addOrderBy('l.id', 'DESC')
        .limit(query.limit),
    );
    const loader = joinUnionOfPages(this.filtered(caller, query, resolved, true), 'l', pages).orderBy('l.createdAt', 'DESC').addOrderBy('l.id', 'DESC');
    for (const lead of this.cardRows.toDtos(await this.cardRows.select(loader).getRawMany(), caller)) {
      const key = String(query.groupBy === 'source' ? lead.sourceId : lead.status);
      const found = byKey.get(key);
      if (found) found.push(lead);
      else byKey.set(key, [lead]);
    }
    return byKey;
  }

  /**
   * The caller's leads matching the filters, with what `resolve` looked up for them once per request.
   * `withNames` joins the company and contact shown on each lead; `searchForm`, how `q` is matched (`LeadSearchIndex.apply`).
   */
  private filtered(caller: CrmCaller, filter: LeadFilterDto, { typeIds, search }: Resolved, withNames: boolean, searchForm: 'index' | 'walk' = 'index'): SelectQueryBuilder<Lead> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Lead).createQueryBuilder('l'), caller, 'lead');
    // The source says whether a do-not-contact contact's email and phone show on the lead (contact-privacy.ts).
    if (withNames) qb.leftJoinAndSelect('l.company', 'company').leftJoinAndSelect('l.contact', 'contact').leftJoinAndSelect('l.source', 'source');
    if (filter.status) qb.andWhere('l.status = :status', { status: filter.status });
    if (filter.sourceId) qb.andWhere('l.sourceId = :sourceId', { sourceId: filter.sourceId });
    if (typeIds) qb.andWhere({ sourceId: In(typeIds) });
    if (filter.ownerId) qb.andWhere('l.ownerId = :ownerId', { ownerId: filter.ownerId });
    if (filter.companyId) qb.andWhere('l.companyId = :companyId', { companyId: filter.companyId });
    if (filter.partnerCompanyId) qb.andWhere('l.partnerCompanyId = :partnerCompanyId', { partnerCompanyId: filter.partnerCompanyId });
    if (filter.createdFrom) qb.andWhere('l.createdAt >= :createdFrom', { createdFrom: new Date(filter.createdFrom) });
    if (filter.createdTo) qb.andWhere('l.createdAt < :createdTo', { createdTo: new Date(filter.createdTo) });
    if (search !== undefined) this.searchIndex.apply(qb, 'l', search, searchForm);
    return qb;
  }

  /**
   * What the filters need looked up before a query is built, from the source catalogue in memory: the sources of
   * `sourceType` (a constant id list, so MariaDB walks the `createdAt` index and stops at the page instead of
   * sorting every lead of those sources), and the search's plan.
   */
  private async resolve(caller: CrmCaller, filter: LeadFilterDto): Promise<Resolved> {
    if (!filter.sourceType && filter.q === undefined) return NOTHING_RESOLVED;
    const catalog = await this.catalog.current();
    const typed = filter.sourceType ? catalog.ordered.filter((s) => s.type === filter.sourceType).map((s) => s.id) : undefined;
    const typeIds = typed && typed.length === 0 ? [0] : typed;
    const search = filter.q === undefined ? undefined : await this.searchIndex.plan(caller, filter.q, catalog);
    return { typeIds, search };
  }
}

/** A filter that needs nothing looked up. */
const NOTHING_RESOLVED: Resolved = { typeIds: undefined, search: undefined };

/** Looked up once per request for `filtered`: the sources of `sourceType`, and the plan of `q` (`null`: nothing searchable). */
interface Resolved {
  typeIds: number[] | undefined;
  search: LeadSearchPlan | null | undefined;
}
