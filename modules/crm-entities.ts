import { AuditEntry } from './core/audit/audit-entry.entity';
import { RetiredSourceCode } from './sources/retired-source-code.entity';
import { SourceMatchKey } from './sources/source-match-key.entity';
import { Source } from './sources/source.entity';
import { SyncCursor } from './imports/distributor/sync-cursor.entity';
import { SyncLease } from './imports/distributor/sync-lease.entity';

/** Every CRM entity. Hosts add these to their DataSource `entities`. */
export const CRM_ENTITIES = [AuditEntry, Source, SourceMatchKey, RetiredSourceCode, SyncCursor, SyncLease];
