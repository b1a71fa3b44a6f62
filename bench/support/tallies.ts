import type { DataSource } from 'typeorm';
import { CrmTransactions } from '../../modules/core/database/crm-transactions.service';
import { resolveCrmOptions } from '../../modules/core/options/crm-module-options';
import { RecordChanges } from '../../modules/core/records/record-changes.service';
import { LeadTally } from '../../modules/leads/lead-tally.service';
import { WonTally } from '../../modules/opportunities/won-tally.service';
import { Source } from '../../modules/sources/source.entity';

/**
 * The lead and won tallies of a bench database whose records were inserted with plain SQL: counted again for
 * every source, as a host writing leads itself would.
 */
export async function recountedTallies(dataSource: DataSource): Promise<[LeadTally, WonTally]> {
  const transactions = new CrmTransactions(dataSource, resolveCrmOptions());
  const leads = new LeadTally(dataSource, transactions, new RecordChanges());
  const won = new WonTally(dataSource, transactions, new RecordChanges());
  const sourceIds = (await dataSource.getRepository(Source).find({ select: { id: true } })).map((s) => s.id);
  await dataSource.transaction(async (manager) => {
    await leads.recount(manager, sourceIds);
    await won.recount(manager, sourceIds);
  });
  return [leads, won];
}
