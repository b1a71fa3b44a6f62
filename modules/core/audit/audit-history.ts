import type { AuditChange, AuditEntry } from './audit-entry.entity';

/** Where a record created by a bulk import came from, as its import run keeps it. */
export interface ImportProvenance {
  runId: number;
  kind: string;
  /** The uploaded file's name (a CSV run). */
  fileName?: string | null;
  /** 1-based data row of the file (a CSV run). */
  rowNumber?: number;
  /** The remote model, record id and `write_date` the record was read with (a distributor run). */
  model?: string;
  remoteId?: number;
  writeDate?: string;
  /** A lead's intake: it shares a contact or company with an earlier record, and the open lead it repeats, if any. */
  duplicate?: boolean;
  duplicateOfLeadId?: number | null;
}

/** One line of a record's history as the history API answers it. */
export interface HistoryEntry {
  id: number;
  action: string;
  actorId: string;
  changes: AuditChange[];
  createdAt: Date;
  /** The creation's values were derived (the record now, each later change undone), not stored. */
  derived?: boolean;
  /** Set when the record was created by an import run (audited once per page). */
  importRun?: ImportProvenance;
}

/**
 * The entry that created a record by a bulk import, found through the import's own index of the
 * ids each page created (the imports module registers it: the audit log knows no runs).
 */
export type BulkCreationLookup = (entityType: string, entityId: string) => Promise<{ entry: AuditEntry; importRun: ImportProvenance } | null>;

/** A record's audited fields now, as the log records values (dates as ISO strings), or null once deleted. */
export type CurrentState = () => Promise<object | null>;

/**
 * What a record was created with: its state now (or, once deleted, what its delete entry kept),
 * with every later change undone, newest first. `later` holds the entries after the creation,
 * newest first. Fields left empty at creation are not listed, as a creation entry never listed them.
 */
export function initialValues(current: object | null, later: readonly AuditEntry[]): AuditChange[] {
  const state = new Map<string, unknown>(Object.entries(current === null ? {} : asLogged(current)));
  for (const entry of later) {
    for (const change of entry.changes) state.set(change.field, change.before ?? null);
  }
  const changes: AuditChange[] = [];
  for (const [field, value] of state) {
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) changes.push({ field, before: null, after: value });
  }
  return changes;
}

/** The values as the log holds them once read back: JSON (dates as ISO strings). */
function asLogged(state: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
}

/** A one-line account of an import creation, for people reading the history. */
export function describeImport(provenance: ImportProvenance): string {
  if (provenance.rowNumber !== undefined) {
    const file = provenance.fileName ? ` of ${provenance.fileName}` : '';
    return `Created by import run ${provenance.runId}, row ${provenance.rowNumber}${file}`;
  }
  if (provenance.model !== undefined) {
    return `Created by import run ${provenance.runId}, from ${provenance.model} #${provenance.remoteId} (write_date ${provenance.writeDate})`;
  }
  return `Created by import run ${provenance.runId}`;
}
