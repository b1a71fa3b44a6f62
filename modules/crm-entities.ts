import { AuditEntry } from './core/audit/audit-entry.entity';
import { RetiredSourceCode } from './sources/retired-source-code.entity';
import { SourceMatchKey } from './sources/source-match-key.entity';
import { Source } from './sources/source.entity';

/** Every CRM entity. Hosts add these to their DataSource `entities`. */
export const CRM_ENTITIES = [AuditEntry, Source, SourceMatchKey, RetiredSourceCode];
