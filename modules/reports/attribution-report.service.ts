import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { Customer } from '../customers/customer.entity';
import { Lead } from '../leads/lead.entity';
import { formatCents, rawCents, sumCentsSql } from '../opportunities/money';
import { Opportunity } from '../opportunities/opportunity.entity';
import { Source } from '../sources/source.entity';
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
 * how many opportunities were won and for how much. Every figure comes from GROUP BY queries over
 * the live source references (no record is loaded), and labels are read from the catalogue as it
 * is now, so renaming or re-typing a source corrects every past report.
 */
@Injectable()
export class AttributionReportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async attribution(_caller: CrmCaller, query: AttributionQueryDto): Promise<AttributionReportDto> {
    const groups = await this.tallies(query);
    const rows = await this.label(query, groups);
    return { entity: query.entity, groupBy: query.groupBy, from: query.from ?? null, to: query.to ?? null, rows: sortRows(rows), totals: totalsOf(groups) };
  }

  private async tallies(query: AttributionQueryDto): Promise<Tally[]> {
    switch (query.entity) {
      case 'lead':
        return merge(await this.leadCounts(query), await this.wonOfLeads(query));
      case 'customer':
        return merge(await this.customerCounts(query), await this.wonOfCustomers(query));
      case 'opportunity':
        return merge(await this.opportunityFigures(query), []);
    }
  }

  private leadCounts(query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.grouped(this.dataSource.createQueryBuilder(Lead, 'l'), query, 'l')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN l.status = :converted THEN 1 ELSE 0 END)', 'converted')
      .setParameter('converted', CONVERTED);
    return this.inPeriod(qb, 'l', query).getRawMany();
  }

  /** Won opportunities credited to the lead they came from, grouped by that lead's source. */
  private wonOfLeads(query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.grouped(this.dataSource.createQueryBuilder(Opportunity, 'o').innerJoin(Lead, 'l', 'l.id = o.originLeadId'), query, 'l')
      .addSelect('COUNT(*)', 'won')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .where('o.stage = :won', { won: WON });
    return this.inPeriod(qb, 'l', query).getRawMany();
  }

  private customerCounts(query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.grouped(this.dataSource.createQueryBuilder(Customer, 'c'), query, 'c')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN c.leadId IS NOT NULL THEN 1 ELSE 0 END)', 'converted');
    return this.inPeriod(qb, 'c', query).getRawMany();
  }

  private wonOfCustomers(query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.grouped(this.dataSource.createQueryBuilder(Opportunity, 'o').innerJoin(Customer, 'c', 'c.id = o.customerId'), query, 'c')
      .addSelect('COUNT(*)', 'won')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .where('o.stage = :won', { won: WON });
    return this.inPeriod(qb, 'c', query).getRawMany();
  }

  /** Opportunities by their own source; `converted` counts those whose lead was converted. */
  private opportunityFigures(query: AttributionQueryDto): Promise<RawGroup[]> {
    const qb = this.grouped(this.dataSource.createQueryBuilder(Opportunity, 'o').leftJoin(Lead, 'l', 'l.id = o.originLeadId'), query, 'o')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN l.status = :converted THEN 1 ELSE 0 END)', 'converted')
      .addSelect('SUM(CASE WHEN o.stage = :won THEN 1 ELSE 0 END)', 'won')
      .addSelect(`SUM(CASE WHEN o.stage = :won THEN ROUND(o.amount * 100) END)`, 'cents')
      .setParameters({ converted: CONVERTED, won: WON });
    return this.inPeriod(qb, 'o', query).getRawMany();
  }

  /** Groups by the record's source id, or by its source's type (joined as `s`). */
  private grouped<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, query: AttributionQueryDto, alias: string): SelectQueryBuilder<T> {
    if (query.groupBy === 'source') return qb.select(`${alias}.sourceId`, 'k').groupBy(`${alias}.sourceId`);
    return qb.leftJoin(Source, 's', `s.id = ${alias}.sourceId`).select('s.type', 'k').groupBy('s.type');
  }

  private inPeriod<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, query: AttributionQueryDto): SelectQueryBuilder<T> {
    if (query.from) qb.andWhere(`${alias}.createdAt >= :from`, { from: new Date(query.from) });
    if (query.to) qb.andWhere(`${alias}.createdAt < :to`, { to: new Date(query.to) });
    return qb;
  }

  private async label(query: AttributionQueryDto, groups: Tally[]): Promise<AttributionRowDto[]> {
    if (query.groupBy === 'sourceType') {
      return groups.map((g) => ({ sourceId: null, sourceCode: null, sourceName: null, sourceType: g.key as SourceType | null, ...figuresOf(g) }));
    }
    const ids = groups.map((g) => g.key).filter((k): k is number => k !== null);
    const sources = ids.length ? await this.dataSource.getRepository(Source).find({ where: { id: In(ids) } }) : [];
    return groups.map((g) => {
      const source = sources.find((s) => s.id === g.key);
      return {
        sourceId: source?.id ?? null,
        sourceCode: source?.code ?? null,
        sourceName: source?.name ?? null,
        sourceType: source?.type ?? null,
        ...figuresOf(g),
      };
    });
  }
}

function merge(counts: RawGroup[], won: RawGroup[]): Tally[] {
  const byKey = new Map<string, Tally>();
  const tally = (raw: RawGroup): Tally => {
    const key: GroupKey = raw.k === null ? null : typeof raw.k === 'number' || /^\d+$/.test(raw.k) ? Number(raw.k) : raw.k;
    const id = String(key);
    const existing = byKey.get(id) ?? { key, count: 0, converted: 0, won: 0, cents: 0n };
    byKey.set(id, existing);
    return existing;
  };
  for (const raw of [...counts, ...won]) {
    const t = tally(raw);
    t.count += Number(raw.n ?? 0);
    t.converted += Number(raw.converted ?? 0);
    t.won += Number(raw.won ?? 0);
    t.cents += rawCents(raw.cents);
  }
  return [...byKey.values()];
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
