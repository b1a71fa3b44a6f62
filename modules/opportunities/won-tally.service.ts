import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { addToShardedCounters } from '../core/database/adding-upsert';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { RecordChanges } from '../core/records/record-changes.service';
import { referencesMoved } from '../core/references/reference-registry.service';
import { lockLeadsOf } from '../leads/lead-tally.service';
import { LEAD_SOURCE_MOVED } from '../leads/lead-writer.service';
import { Lead } from '../leads/lead.entity';
import { SOURCE_REFERENCE } from '../sources/source-lifecycle.service';
import { rawCents, sumCentsSql } from './money';
import { Opportunity } from './opportunity.entity';
import { WonTallyRow } from './won-tally.entity';

/** What the tally counts of one opportunity: whether it is won, and for how much. */
export interface WonState {
  stage: string;
  amount: string | null;
}

/** Won opportunities of one source's leads: how many, and their amounts' sum in cents. */
export interface WonFigures {
  sourceId: number;
  n: number;
  cents: bigint;
}

/**
 * Won opportunities credited to the source of the lead they came from (`originLeadId`), exact at every
 * commit: an opportunity's win, un-win or new amount adds to its lead's source, a lead moving to another
 * source carries its won opportunities along, and a source merge counts both sources again. The lead
 * attribution report over all time reads these few rows instead of joining every won opportunity to its lead.
 */
@Injectable()
export class WonTally implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CrmTransactions,
    private readonly changes: RecordChanges,
  ) {}

  onModuleInit(): void {
    this.changes.on(LEAD_SOURCE_MOVED, async (manager, [leadId], detail) => this.leadMoved(manager, leadId, Number(detail.from), Number(detail.to)));
    this.changes.on(referencesMoved(SOURCE_REFERENCE), (manager, sourceIds) => this.recount(manager, sourceIds));
  }

  /** An opportunity from lead `originLeadId` went from `before` (null: it is new) to `after`. */
  async changed(manager: EntityManager, originLeadId: number | null, before: WonState | null, after: WonState): Promise<void> {
    if (originLeadId === null) return;
    const n = (after.stage === 'won' ? 1 : 0) - (before?.stage === 'won' ? 1 : 0);
    const cents = centsIfWon(after) - (before ? centsIfWon(before) : 0n);
    if (n === 0 && cents === 0n) return;
    // Locked, so a concurrent move of the lead to another source waits for this credit or is waited for.
    const lead = await this.transactions.forUpdate(manager.createQueryBuilder(Lead, 'l').select(['l.id', 'l.sourceId']).where('l.id = :id', { id: originLeadId })).getOne();
    if (lead) await this.add(manager, [{ sourceId: lead.sourceId, n, cents }]);
  }

  /** Every source's won figures, summed over shards; sources with none are left out. */
  async figures(): Promise<WonFigures[]> {
    const rows: { sourceId: number | string; n: number | string; cents: number | string | null }[] = await this.dataSource
      .getRepository(WonTallyRow)
      .createQueryBuilder('w')
      .select('w.sourceId', 'sourceId')
      .addSelect('SUM(w.n)', 'n')
      .addSelect('SUM(w.cents)', 'cents')
      .groupBy('w.sourceId')
      .getRawMany();
    return rows.map((row) => ({ sourceId: Number(row.sourceId), n: Number(row.n), cents: rawCents(row.cents) })).filter((row) => row.n !== 0 || row.cents !== 0n);
  }

  /**
   * Counts the won opportunities of these sources' leads again (after a merge, or a host's own SQL writes), with
   * those leads locked first and READ COMMITTED, as `LeadTally.recount`: a win's credit locks its lead.
   */
  async recount(manager: EntityManager, sourceIds: number[]): Promise<void> {
    if (sourceIds.length === 0) return;
    await lockLeadsOf(this.transactions, manager, sourceIds);
    await manager.delete(WonTallyRow, { sourceId: In(sourceIds) });
    const rows: { sourceId: number | string; n: number | string; cents: number | string | null }[] = await manager
      .createQueryBuilder(Opportunity, 'o')
      .innerJoin(Lead, 'l', 'l.id = o.originLeadId')
      .select('l.sourceId', 'sourceId')
      .addSelect('COUNT(*)', 'n')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .where('o.stage = :won', { won: 'won' })
      .andWhere('l.sourceId IN (:...sourceIds)', { sourceIds })
      .groupBy('l.sourceId')
      .getRawMany();
    if (rows.length) await manager.insert(WonTallyRow, rows.map((row) => ({ sourceId: Number(row.sourceId), shard: 0, n: Number(row.n), cents: rawCents(row.cents).toString() })));
  }

  /** A lead moved from one source to another: its won opportunities' figures move with it. */
  private async leadMoved(manager: EntityManager, leadId: number, from: number, to: number): Promise<void> {
    const [row]: { n: number | string; cents: number | string | null }[] = await manager
      .createQueryBuilder(Opportunity, 'o')
      .select('COUNT(*)', 'n')
      .addSelect(sumCentsSql('o.amount'), 'cents')
      .where('o.originLeadId = :leadId AND o.stage = :won', { leadId, won: 'won' })
      .getRawMany();
    const n = Number(row?.n ?? 0);
    const cents = rawCents(row?.cents);
    if (n === 0) return;
    await this.add(manager, [
      { sourceId: from, n: -n, cents: -cents },
      { sourceId: to, n, cents },
    ]);
  }

  private async add(manager: EntityManager, figures: WonFigures[]): Promise<void> {
    await addToShardedCounters(manager, WonTallyRow, ['sourceId'], ['n', 'cents'], figures.map((f) => ({ sourceId: f.sourceId, n: f.n, cents: f.cents.toString() })));
  }
}

/** An opportunity's amount in cents when it is won, else 0. */
function centsIfWon(state: WonState): bigint {
  if (state.stage !== 'won' || state.amount === null) return 0n;
  const [whole, fraction = ''] = state.amount.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}
