import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
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
 * and its newest cards.
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
    return {
      groupBy: query.groupBy,
      columns: await Promise.all(columns.map(async (c) => ({ ...c, cards: c.count === 0 ? [] : await this.cards(caller, query, c.key) }))),
    };
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

  private async cards(caller: CrmCaller, query: OpportunityBoardQueryDto, key: string | number | null): Promise<OpportunityDto[]> {
    const qb = this.filtered(caller, query);
    if (query.groupBy === 'stage') qb.andWhere('o.stage = :columnKey', { columnKey: key });
    else if (key === null) qb.andWhere('o.sourceId IS NULL');
    else qb.andWhere('o.sourceId = :columnKey', { columnKey: key });
    const items = await qb.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').take(query.limit).getMany();
    return items.map(OpportunityDto.from);
  }

  private filtered(caller: CrmCaller, query: OpportunityBoardQueryDto): SelectQueryBuilder<Opportunity> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Opportunity).createQueryBuilder('o'), caller, 'opportunity');
    return applyOpportunityFilters(qb.leftJoinAndSelect('o.source', 's'), query);
  }
}
