import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { AuditEntry } from '../../core/audit/audit-entry.entity';
import type { ImportProvenance } from '../../core/audit/audit-history';
import { AuditLogService } from '../../core/audit/audit-log.service';
import type { CreatedRecords } from '../../core/audit/created-records';
import { insertManyWithoutReload } from '../../core/database/insert-without-reload';
import { ImportRun } from './import-run.entity';
import { type ImportOrigin, ImportRunRange } from './import-run-range.entity';

/** The audit type of an import run's own entries (one per page and entity type it created). */
export const IMPORT_RUN_AUDIT_TYPE = 'import_run';

/** The action of a page's entry. */
export const IMPORT_PAGE_ACTION = 'import';

/** Where the leads of one page came from: their origin by lead id, and the remote model (a distributor page). */
export interface PageOrigins {
  model?: string;
  leads: Map<number, ImportOrigin>;
}

/** The entity types an import creates; only their histories look for a run. */
const IMPORTED_TYPES = new Set(['lead', 'contact', 'company']);

/**
 * Audits an import page once per entity type: one entry of the run (`import_run`, its id) naming
 * the entity type and the ids the page created, instead of a creation entry per record; the ranges
 * of those ids, with where each lead came from, let a record's history show "created by import run
 * R, row N" with the values it was created with (derived, as for every creation).
 */
@Injectable()
export class ImportPageAudit implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  onModuleInit(): void {
    this.audit.registerBulkCreations((entityType, entityId) => this.creationOf(entityType, entityId));
  }

  /** The page's entries and ranges, in the page's transaction. */
  async record(manager: EntityManager, caller: CrmCaller, runId: number, created: CreatedRecords, origins: PageOrigins): Promise<void> {
    const byType = [...created.byType()];
    if (byType.length === 0) return;
    const ranges = byType.map(([, ids]) => consecutiveRuns(ids));
    const entryIds = await insertManyWithoutReload(
      manager,
      AuditEntry,
      byType.map(([entityType, ids], i) => ({
        entityType: IMPORT_RUN_AUDIT_TYPE,
        entityId: String(runId),
        action: IMPORT_PAGE_ACTION,
        actorId: caller.id,
        changes: [
          { field: 'entityType', before: null, after: entityType },
          { field: 'count', before: null, after: ids.length },
          { field: 'ids', before: null, after: ranges[i].map(([first, last]) => (first === last ? String(first) : `${first}-${last}`)) },
        ],
      })),
    );
    const rows = byType.flatMap(([entityType], i) =>
      ranges[i].map(([firstId, lastId]) => ({
        runId,
        entryId: entryIds[i],
        entityType,
        firstId,
        lastId,
        model: origins.model ?? null,
        origins: entityType === 'lead' ? originsOf(firstId, lastId, origins.leads) : null,
      })),
    );
    await insertManyWithoutReload(manager, ImportRunRange, rows);
  }

  /** The page entry that created a record, with the run and where the record came from; null when no import created it. */
  private async creationOf(entityType: string, entityId: string): Promise<{ entry: AuditEntry; importRun: ImportProvenance } | null> {
    if (!IMPORTED_TYPES.has(entityType) || !/^\d{1,10}$/.test(entityId)) return null;
    const id = Number(entityId);
    const manager = this.dataSource.manager;
    const range = await manager
      .createQueryBuilder(ImportRunRange, 'r')
      .where('r.entityType = :entityType AND r.firstId <= :id', { entityType, id })
      .orderBy('r.firstId', 'DESC')
      .limit(1)
      .getOne();
    if (!range || range.lastId < id) return null;
    const [entry, run] = await Promise.all([manager.findOne(AuditEntry, { where: { id: range.entryId } }), manager.findOne(ImportRun, { where: { id: range.runId } })]);
    if (!entry || !run) return null;
    return { entry, importRun: provenance(run, range, range.origins?.[id - range.firstId] ?? null) };
  }
}

/** Where a created lead came from, with what the intake matched it to. */
export function leadOrigin(where: Pick<ImportOrigin, 'row' | 'remoteId' | 'writeDate'>, outcome: { duplicate: boolean; duplicateOfLeadId?: number }): ImportOrigin {
  return { ...where, ...(outcome.duplicate ? { duplicate: true } : {}), ...(outcome.duplicateOfLeadId === undefined ? {} : { duplicateOfLeadId: outcome.duplicateOfLeadId }) };
}

function provenance(run: ImportRun, range: ImportRunRange, origin: ImportOrigin | null): ImportProvenance {
  const known: ImportProvenance = { runId: run.id, kind: run.kind };
  if (run.kind === 'csv') known.fileName = run.fileName;
  if (range.model !== null) known.model = range.model;
  if (origin?.row !== undefined) known.rowNumber = origin.row;
  if (origin?.remoteId !== undefined) known.remoteId = origin.remoteId;
  if (origin?.writeDate !== undefined) known.writeDate = origin.writeDate;
  if (origin && range.entityType === 'lead') {
    known.duplicate = origin.duplicate ?? false;
    known.duplicateOfLeadId = origin.duplicateOfLeadId ?? null;
  }
  return known;
}

/** Ascending ids as runs of consecutive ids, `[first, last]` each. */
function consecutiveRuns(ids: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const id of ids) {
    const last = runs[runs.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

function originsOf(firstId: number, lastId: number, origins: ReadonlyMap<number, ImportOrigin>): (ImportOrigin | null)[] {
  const list: (ImportOrigin | null)[] = [];
  for (let id = firstId; id <= lastId; id++) list.push(origins.get(id) ?? null);
  return list;
}
