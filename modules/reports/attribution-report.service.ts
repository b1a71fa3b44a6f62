import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { Customer } from '../customers/customer.entity';
import { LeadTally } from '../leads/lead-tally.service';
import { Lead } from '../leads/lead.entity';
import { formatCents, rawCents, sumCentsSql } from '../opportunities/money';
import { Opportunity } from '../opportunities/opportunity.entity';
import { WonTally } from '../opportunities/won-tally.service';
import { SourceCatalogCache } from '../sources/source-catalog-cache.service';
import type { Source } from '../sources/source.entity';
import type { SourceType } from '../sources/source-type';
import type { AttributionQueryDto } from './dto/attribution-query.dto';
import type { AttributionFiguresDto, AttributionReportDto, AttributionRowDto } from './dto/attribution-report.dto';

type GroupKey = number | string | null;

/** One group's raw figures as SQL answers them. */
interface RawGroup {
  k: number | string | null;
  n?: number | string | null;
  converted?: number | string | null;
  won?: number | string | null;
  cents?: number | string | null;
}

interface Tally {
  key: GroupKey;
  count: number;
  converted: number;
  won: number;
  cents: bigint;
}

const WON = 'won';
const CONVERTED = 'converted';

/**
 * The attribution report: per source (or source type), how many records, how many converted,
 * how many opportunities were won and for how much. Every figure comes from GROUP BY queries on
 * the records' live source id (no record is loaded; each query reads an index led by that id or
 * by status), and names and types are read from the catalogue as it is now (from its cache;
 * per-source subtotals fold into their source's current type), so renaming or re-typing a source
 * corrects every past report. A partner's report counts only what it may see: each query is narrowed to the visible
 * records of every table it reads.
 */
@Injectable()
export class AttributionReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly visibility: RecordVisibility,
    private readonly tally: LeadTally,
    private readonly wonTally: WonTally,
    private readonly catalog: SourceCatalogCache,
  ) {}

  async attribution(caller: CrmCaller, query: AttributionQueryDto): Promise<AttributionReportDto> {
    // The catalogue in memory (checked against its version), read beside the figures.
    const [raws, { byId: sources }] = await Promise.all([this.figuresBySource(caller, query), this.catalog.current()]);
    const bySource = merge(raws);
    const groups = query.groupBy === 'source' ? bySource : byType(bySource, sources);
    const rows = groups.map((g) => ({ ...labelOf(query, g.key, sources), ...figuresOf(g) }));
    return { entity: query.entity, groupBy: query.groupBy, from: query.from ?? null, to: query.to ?? null, rows: sortRows(rows), totals: totalsOf(groups) };
  }

  /** Every figure, grouped by the record's source id: the one column every reference and index shares. */
  private async figuresBySource(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    switch (query.entity) {
      case 'lead':
        return this.leadFigures(caller, query);
      case 'customer':
        return [...(await this.customerCounts(caller, query)), ...(await this.wonOfCustomers(caller, query))];
      case 'opportunity':
        return this.opportunityFigures(caller, query);
    }
  }

  /**
   * Leads, converted leads and won opportunities per source: from the tallies for a report over all time for a
   * caller who sees every lead and opportunity (a few dozen rows however many records), else counted off the
   * indexes below.
   */
  private async leadFigures(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const tallied = !this.visibility.restricts(caller, 'lead') && !this.visibility.restricts(caller, 'opportunity') && !query.from && !query.to;
    if (!tallied) return [...(await this.leadCounts(caller, query)), ...(await this.convertedLeads(caller, query)), ...(await this.wonOfLeads(caller, query))];
    const [counts, won] = await Promise.all([this.tally.counts(), this.wonTally.figures()]);
    return [
      ...counts.map((row) => ({ k: row.sourceId, n: row.n, converted: row.status === CONVERTED ? row.n : 0 })),
      ...won.map((row) => ({ k: row.sourceId, won: row.n, cents: row.cents.toString() })),
    ];
  }

  /** Read straight off `IDX_crm_lead_source_created` (source id, creation date): no row is visited. */
  private leadCounts(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.dataSource.createQueryBuilder(Lead, 'l').select('l.sourceId', 'k').addSelect('COUNT(*)', 'n').groupBy('l.sourceId');
    return this.inPeriod(this.visibility.scope(qb, caller, 'lead'), 'l', query).getRawMany();
  }

  /**
   * Converted leads are a small share of all: counted off the (status, source id, creation date)
   * index alone, within its converted range; MariaDB would otherwise pass over it for the source
   * index and visit every lead.
   */
  private convertedLeads(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.dataSource
      .createQueryBuilder(Lead, 'l')
      .select('l.sourceId', 'k')
      .addSelect('COUNT(*)', 'converted')
      .where('l.status = :converted', { converted: CONVERTED })
      .groupBy('l.sourceId');
    // A partner's are fewer still, counted off its (partner, status, source id, creation date) range, which the hint would forbid.
    if (!this.visibility.restricts(caller, 'lead')) qb.useIndex('IDX_crm_lead_status_source_created');
    return this.inPeriod(this.visibility.scope(qb, caller, 'lead'), 'l', query).getRawMany();
  }

  /** Won opportunities credited to the lead they came from, by that lead's source. */
  private wonOfLeads(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.wonQuery(caller)
      .innerJoin(Lead, 'l', 'l.id = o.originLeadId')
      .select('l.sourceId', 'k')
      .addSelect('COUNT(*)', 'won')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .groupBy('l.sourceId');
    return this.inPeriod(this.visibility.scope(qb, caller, 'lead', 'l'), 'l', query).getRawMany();
  }

  private customerCounts(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.dataSource
      .createQueryBuilder(Customer, 'c')
      .select('c.sourceId', 'k')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN c.leadId IS NOT NULL THEN 1 ELSE 0 END)', 'converted')
      .groupBy('c.sourceId');
    return this.inPeriod(this.visibility.scope(qb, caller, 'customer'), 'c', query).getRawMany();
  }

  private wonOfCustomers(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.wonQuery(caller)
      .innerJoin(Customer, 'c', 'c.id = o.customerId')
      .select('c.sourceId', 'k')
      .addSelect('COUNT(*)', 'won')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .groupBy('c.sourceId');
    return this.inPeriod(this.visibility.scope(qb, caller, 'customer', 'c'), 'c', query).getRawMany();
  }

  /** Opportunities by their own source; `converted` counts those whose lead was converted. */
  private opportunityFigures(caller: CrmCaller, query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.dataSource
      .createQueryBuilder(Opportunity, 'o')
      .leftJoin(Lead, 'l', 'l.id = o.originLeadId')
      .select('o.sourceId', 'k')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN l.status = :converted THEN 1 ELSE 0 END)', 'converted')
      .addSelect('SUM(CASE WHEN o.stage = :won THEN 1 ELSE 0 END)', 'won')
      .addSelect('SUM(CASE WHEN o.stage = :won THEN ROUND(o.amount * 100) END)', 'cents')
      .setParameters({ converted: CONVERTED, won: WON })
      .groupBy('o.sourceId');
    return this.inPeriod(this.visibility.scope(qb, caller, 'opportunity'), 'o', query).getRawMany();
  }

  /** Won opportunities the caller may see. */
  private wonQuery(caller: CrmCaller): SelectQueryBuilder<Opportunity> {
    return this.visibility.scope(this.dataSource.createQueryBuilder(Opportunity, 'o').where('o.stage = :won', { won: WON }), caller, 'opportunity');
  }

  private inPeriod<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, query: AttributionQueryDto): SelectQueryBuilder<T> {
    if (query.from) qb.andWhere(`${alias}.createdAt >= :from`, { from: new Date(query.from) });
    if (query.to) qb.andWhere(`${alias}.createdAt < :to`, { to: new Date(query.to) });
    return qb;
  }
}

/** Adds up figures that share a source id (each query answers some of them). */
function merge(raws: RawGroup[]): Tally[] {
  const groups = new Map<string, Tally>();
  for (const raw of raws) {
    const key: GroupKey = raw.k === null ? null : Number(raw.k);
    add(groups, key, { count: Number(raw.n ?? 0), converted: Number(raw.converted ?? 0), won: Number(raw.won ?? 0), cents: rawCents(raw.cents) });
  }
  return [...groups.values()];
}

/** Per-source subtotals folded into their source's current type. */
function byType(bySource: Tally[], sources: ReadonlyMap<number, Source>): Tally[] {
  const groups = new Map<string, Tally>();
  for (const group of bySource) add(groups, group.key === null ? null : (sources.get(group.key as number)?.type ?? null), group);
  return [...groups.values()];
}

function add(groups: Map<string, Tally>, key: GroupKey, figures: Omit<Tally, 'key'>): void {
  const group = groups.get(String(key)) ?? { key, count: 0, converted: 0, won: 0, cents: 0n };
  group.count += figures.count;
  group.converted += figures.converted;
  group.won += figures.won;
  group.cents += figures.cents;
  groups.set(String(key), group);
}

function labelOf(query: AttributionQueryDto, key: GroupKey, sources: ReadonlyMap<number, Source>): Omit<AttributionRowDto, keyof AttributionFiguresDto> {
  if (query.groupBy === 'sourceType') return { sourceId: null, sourceCode: null, sourceName: null, sourceType: key as SourceType | null };
  const source = key === null ? undefined : sources.get(key as number);
  return { sourceId: source?.id ?? null, sourceCode: source?.code ?? null, sourceName: source?.name ?? null, sourceType: source?.type ?? null };
}

function figuresOf(t: Pick<Tally, 'count' | 'converted' | 'won' | 'cents'>): AttributionFiguresDto {
  return {
    count: t.count,
    converted: t.converted,
    conversionRate: t.count === 0 ? 0 : Math.round((t.converted / t.count) * 10000) / 10000,
    opportunitiesWon: t.won,
    wonAmount: formatCents(t.cents),
  };
}

function totalsOf(groups: Tally[]): AttributionFiguresDto {
  return figuresOf(
    groups.reduce((sum, g) => ({ count: sum.count + g.count, converted: sum.converted + g.converted, won: sum.won + g.won, cents: sum.cents + g.cents }), {
      count: 0,
      converted: 0,
      won: 0,
      cents: 0n,
    }),
  );
}

/** Largest groups first; ties by label, records without a source last. */
function sortRows(rows: AttributionRowDto[]): AttributionRowDto[] {
  const label = (r: AttributionRowDto) => r.sourceName ?? r.sourceType ?? '\uffff';
  return [...rows].sort((a, b) => b.count - a.count || label(a).localeCompare(label(b)));
}
