import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { addToShardedCounters } from '../core/database/adding-upsert';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { RecordChanges } from '../core/records/record-changes.service';
import { referencesMoved } from '../core/references/reference-registry.service';
import { SOURCE_REFERENCE } from '../sources/source-lifecycle.service';
import { LeadTallyRow } from './lead-tally.entity';
import { Lead } from './lead.entity';

/** Where a lead is counted. */
export interface TallyKey {
  sourceId: number;
  status: string;
}

/** How many leads of a source are in a status. */
export interface TallyCount extends TallyKey {
  n: number;
}

/**
 * The leads' counts per source and status (`crm_lead_tally`), exact at every commit: every write that
 * creates, deletes or re-files a lead (its status or source) adds to them in its own transaction, and a
 * source merge recounts both sources. The unfiltered board and attribution report read these few rows
 * instead of every lead's index entry, so they cost the same at a million leads as at a thousand.
 */
@Injectable()
export class LeadTally implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CrmTransactions,
    private readonly changes: RecordChanges,
  ) {}

  onModuleInit(): void {
    // A merge moves every lead of one source to another in one UPDATE: both are counted again.
    this.changes.on(referencesMoved(SOURCE_REFERENCE), (manager, sourceIds) => this.recount(manager, sourceIds));
  }

  /** Counts leads just inserted. */
  async created(manager: EntityManager, leads: TallyKey[]): Promise<void> {
    // A literal, not `{ ...lead, n }`: on Node 20 a spread gives every object a hidden class of its own (see LeadWriter.insertDrafts).
    await this.add(manager, leads.map((lead) => ({ sourceId: lead.sourceId, status: lead.status, n: 1 })));
  }

  /** Uncounts a deleted lead. */
  async removed(manager: EntityManager, lead: TallyKey): Promise<void> {
    await this.add(manager, [{ sourceId: lead.sourceId, status: lead.status, n: -1 }]);
  }

  /** Moves a lead whose status or source changed; nothing when neither did. */
  async moved(manager: EntityManager, before: TallyKey, after: TallyKey): Promise<void> {
    if (before.sourceId === after.sourceId && before.status === after.status) return;
    await this.add(manager, [
      { ...before, n: -1 },
      { ...after, n: 1 },
    ]);
  }

  /** The counts, summed over shards, of the given statuses and sources (all when not given); zero counts are left out. */
  async counts(filter: { status?: string; sourceIds?: number[] } = {}): Promise<TallyCount[]> {
    const qb = this.dataSource.getRepository(LeadTallyRow).createQueryBuilder('t').select('t.sourceId', 'sourceId').addSelect('t.status', 'status').addSelect('SUM(t.n)', 'n');
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.sourceIds) qb.andWhere({ sourceId: In(filter.sourceIds) });
    const rows: { sourceId: number | string; status: string; n: number | string }[] = await qb.groupBy('t.sourceId').addGroupBy('t.status').getRawMany();
    return rows.map((row) => ({ sourceId: Number(row.sourceId), status: row.status, n: Number(row.n) })).filter((row) => row.n !== 0);
  }

  /**
   * Counts the leads of these sources again from the leads table (a host that wrote `crm_lead` rows with its
   * own SQL calls it in the same transaction, with the sources it touched). The leads are locked first
   * (`lockLeadsOf`), so no write to them lands between the count and the counters it replaces; the count must
   * then see what was committed before the lock was granted, so the transaction is READ COMMITTED on MySQL/MariaDB
   * (`CrmTransactions.runReadCommitted`, as a source merge runs).
   */
  async recount(manager: EntityManager, sourceIds: number[]): Promise<void> {
    if (sourceIds.length === 0) return;
    await lockLeadsOf(this.transactions, manager, sourceIds);
    await manager.delete(LeadTallyRow, { sourceId: In(sourceIds) });
    const rows: { sourceId: number | string; status: string; n: number | string }[] = await manager
      .createQueryBuilder(Lead, 'l')
      .select('l.sourceId', 'sourceId')
      .addSelect('l.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where({ sourceId: In(sourceIds) })
      .groupBy('l.sourceId')
      .addGroupBy('l.status')
      .getRawMany();
    if (rows.length) await manager.insert(LeadTallyRow, rows.map((row) => ({ sourceId: Number(row.sourceId), status: row.status, shard: 0, n: Number(row.n) })));
  }

  /** Adds to the counts in one upsert (`addToShardedCounters`), changes of one key summed first. */
  private async add(manager: EntityManager, changes: TallyCount[]): Promise<void> {
    const summed = new Map<string, TallyCount>();
    for (const change of changes) {
      const key = `${change.sourceId}\u0000${change.status}`;
      const found = summed.get(key);
      if (found) found.n += change.n;
      else summed.set(key, { ...change });
    }
    const rows = [...summed.values()].filter((row) => row.n !== 0);
    if (rows.length) await addToShardedCounters(manager, LeadTallyRow, ['sourceId', 'status'], ['n'], rows);
  }
}

/**
 * Locks every lead of these sources for the transaction. Why: a lead's writers (a status or source change, a delete,
 * a won opportunity's credit) lock it or its source before they add to a tally, so once this returns, every such
 * write either committed before (and a count sees it) or waits until the transaction ends. New leads of the sources
 * wait too, on the lock a merge holds on both source rows (their foreign key check needs that row).
 */
export async function lockLeadsOf(transactions: CrmTransactions, manager: EntityManager, sourceIds: number[]): Promise<void> {
  await transactions.forUpdate(manager.createQueryBuilder(Lead, 'l').select('l.id', 'id').where({ sourceId: In(sourceIds) })).getRawMany();
}
