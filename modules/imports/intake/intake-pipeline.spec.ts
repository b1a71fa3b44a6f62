import type { EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmError } from '../../core/errors/crm-error';
import { IntakePipeline } from './intake-pipeline.service';
import type { IntakeRecord } from './intake-record';
import { PageMatches } from './page-matches';

const source = { id: 1, code: 'web', updateContact: false, updateLead: false, defaultSalesDirectionId: 1 };
const caller = { id: 'importer', partnerCompanyId: null } as unknown as CrmCaller;

/** A pipeline over stand-ins: the lead writer refuses the lead named "clash" while writing. */
function pipelineWith(savepoints: { count: number }) {
  const manager = {
    transaction: async (work: (inner: EntityManager) => Promise<unknown>) => {
      savepoints.count += 1;
      return work(manager);
    },
  } as unknown as EntityManager;
  const created: string[] = [];
  const leads = {
    draftWithin: async (_m: EntityManager, _c: CrmCaller, dto: { name: string }) => {
      if (dto.name === 'clash') throw new CrmError('DUPLICATE', 'clash found while writing');
      return { name: dto.name, id: null as number | null, contact: null, company: null };
    },
    insertDrafts: async (_m: EntityManager, _c: CrmCaller, drafts: Array<{ name: string; id: number | null }>) => {
      for (const draft of drafts) {
        created.push(draft.name);
        draft.id = created.length;
      }
    },
  };
  const validator = {
    prepare: async (_m: EntityManager, record: IntakeRecord) => {
      if (!record.name) throw CrmError.invalidField('name', 'required', 'name is required');
      return { record, source, name: record.name, leadCompanyName: null, company: null, contact: null, salesDirectionId: 1, productId: null, marketingCampaignId: null, externalSource: null, externalId: null };
    },
  };
  const duplicates = {
    prefetch: async () => new PageMatches([], [], [], new Map()),
    findImported: async () => null,
    find: async () => ({ duplicate: false, contact: null, company: null, openLead: null }),
  };
  const audit = {
    batched: (_m: EntityManager, work: () => Promise<unknown>) => work(),
    savepoint: (m: EntityManager, work: (inner: EntityManager) => Promise<unknown>) => m.transaction(work),
    record: async () => undefined,
  };
  const pipeline = new IntakePipeline(
    { match: async () => source } as never,
    validator as never,
    duplicates as never,
    { ownerFor: async () => null } as never,
    leads as never,
    {} as never,
    audit as never,
    { lockKeysOf: async () => undefined } as never,
  );
  return { pipeline, manager, created };
}

describe('IntakePipeline.ingestBatchWithin', () => {
  it('answers an invalid record with its refusal and inserts the others together, without a savepoint each', async () => {
    const savepoints = { count: 0 };
    const { pipeline, manager, created } = pipelineWith(savepoints);
    const results = await pipeline.ingestBatchWithin(manager, caller, [{ name: 'a' }, {}, { name: 'b' }]);
    expect(results.map((r) => (r instanceof CrmError ? r : r.leadId))).toEqual([1, expect.any(CrmError), 2]);
    expect(created).toEqual(['a', 'b']);
    expect(savepoints.count).toBe(1);
  });

  it('retakes the page a record per savepoint when a record is refused while writing', async () => {
    const savepoints = { count: 0 };
    const { pipeline, manager, created } = pipelineWith(savepoints);
    const results = await pipeline.ingestBatchWithin(manager, caller, [{ name: 'a' }, { name: 'clash' }, { name: 'b' }]);
    expect(results.map((r) => (r instanceof CrmError ? r.code : r.status))).toEqual(['created', 'DUPLICATE', 'created']);
    // The first attempt stopped before inserting its drafts; the retake wrote a and b.
    expect(created).toEqual(['a', 'b']);
    expect(savepoints.count).toBe(1 + 3);
  });
});
