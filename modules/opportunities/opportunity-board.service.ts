import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { joinUnionOfPages } from '../core/database/union-of-pages';
import { RecordVisibility } from '../core/visibility/record-visibility.service';
import { Source } from '../sources/source.entity';
import type { OpportunityBoardColumnDto, OpportunityBoardDto, OpportunityBoardQueryDto } from './dto/opportunity-board.dto';
import { OpportunityDto } from './dto/opportunity.dto';
import { centsToAmount, sumCentsSql } from './money';
import { applyOpportunityFilters } from './opportunity-filters';
import { OPPORTUNITY_STAGE_LABELS, OPPORTUNITY_STAGES } from './opportunity-stage';
import { Opportunity } from './opportunity.entity';

interface ColumnTotals {
  key: string | number | null;
  count: number;
  amountSum: string;
}

/**
 * The kanban view: one column per stage (all of them, in pipeline order) or per source (those
 * with opportunities, in catalogue order), each with its count and amount sum from one GROUP BY,
 * and its newest cards, every column's from one query.
 */
@Injectable()
export class OpportunityBoardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly visibility: RecordVisibility,
  ) {}

  /** Counts, sums and cards are all of the opportunities the caller may see. */
  async board(caller: CrmCaller, query: OpportunityBoardQueryDto): Promise<OpportunityBoardDto> {
    const column = query.groupBy === 'stage' ? 'o.stage' : 'o.sourceId';
    const rows: { k: string | number | null; n: string | number; cents: string | number | null }[] = await this.filtered(caller, query)
      .select(column, 'k')
      .addSelect('COUNT(*)', 'n')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .groupBy(column)
      .getRawMany();
    const totals = rows.map((r): ColumnTotals => ({ key: r.k === null ? null : query.groupBy === 'stage' ? String(r.k) : Number(r.k), count: Number(r.n), amountSum: centsToAmount(r.cents) }));
    const columns = query.groupBy === 'stage' ? this.stageColumns(totals) : await this.sourceColumns(totals);
    const cards = await this.cards(caller, query, columns.filter((c) => c.count > 0).map((c) => c.key));
    return { groupBy: query.groupBy, columns: columns.map((c) => ({ ...c, cards: cards.get(String(c.key)) ?? [] })) };
  }

  private stageColumns(totals: ColumnTotals[]): Omit<OpportunityBoardColumnDto, 'cards'>[] {
    return OPPORTUNITY_STAGES.map((stage) => {
      const found = totals.find((t) => t.key === stage);
      return { key: stage, label: OPPORTUNITY_STAGE_LABELS[stage], count: found?.count ?? 0, amountSum: found?.amountSum ?? '0.00' };
    });
  }

  private async sourceColumns(totals: ColumnTotals[]): Promise<Omit<OpportunityBoardColumnDto, 'cards'>[]> {
    const ids = totals.map((t) => t.key).filter((k): k is number => typeof k === 'number');
    const sources = ids.length
      ? await this.dataSource.getRepository(Source).createQueryBuilder('s').whereInIds(ids).orderBy('s.sequence', 'ASC').addOrderBy('s.name', 'ASC').getMany()
      : [];
    const columns = sources.map((source) => ({ ...totals.find((t) => t.key === source.id)!, label: source.name }));
    const none = totals.find((t) => t.key === null);
    return none ? [...columns, { ...none, label: 'No source' }] : columns;
  }

  /**
   * The newest `limit` opportunities of each column in `keys`, by column, in one query: each column's
   * ids from its own `ORDER BY createdAt DESC LIMIT n`, the opportunities loaded for those ids alone.
   */
  private async cards(caller: CrmCaller, query: OpportunityBoardQueryDto, keys: (string | number | null)[]): Promise<Map<string, OpportunityDto[]>> {
    const byKey = new Map<string, OpportunityDto[]>();
    if (keys.length === 0) return byKey;
    // Every page is built as the loader is, so the parameters they share (filters, visibility) hold the same values.
    const pages = keys.map((key, i) => {
      const page = this.filtered(caller, query).select('o.id', 'id');
      if (query.groupBy === 'stage') page.andWhere(`o.stage = :boardKey${i}`, { [`boardKey${i}`]: key });
      else if (key === null) page.andWhere('o.sourceId IS NULL');
      else page.andWhere(`o.sourceId = :boardKey${i}`, { [`boardKey${i}`]: key });
      return page.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').limit(query.limit);
    });
    const items = await joinUnionOfPages(this.filtered(caller, query), 'o', pages).orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').getMany();
    for (const item of items) {
      const key = String(query.groupBy === 'stage' ? item.stage : item.sourceId);
      const found = byKey.get(key);
      if (found) found.push(OpportunityDto.from(item));
      else byKey.set(key, [OpportunityDto.from(item)]);
    }
    return byKey;
  }

  private filtered(caller: CrmCaller, query: OpportunityBoardQueryDto): SelectQueryBuilder<Opportunity> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Opportunity).createQueryBuilder('o'), caller, 'opportunity');
    return applyOpportunityFilters(qb.leftJoinAndSelect('o.source', 's'), query);
  }
}
