import type { DataSource } from 'typeorm';
import { RecordChanges } from '../../modules/core/records/record-changes.service';
import { LeadTally } from '../../modules/leads/lead-tally.service';
import { Source } from '../../modules/sources/source.entity';

/** The lead tally of a bench database whose leads were inserted with plain SQL: counted again for every source, as a host writing leads itself would. */
export async function recountedLeadTally(dataSource: DataSource): Promise<LeadTally> {
  const tally = new LeadTally(dataSource, new RecordChanges());
  const sources = await dataSource.getRepository(Source).find({ select: { id: true } });
  await dataSource.transaction((manager) => tally.recount(manager, sources.map((s) => s.id)));
  return tally;
}
