import { AuditEntry } from './core/audit/audit-entry.entity';
import { CatalogVersion } from './core/catalog/catalog-version.entity';
import { Company } from './directory/company.entity';
import { Contact } from './directory/contact.entity';
import { ListEntry } from './directory/list-entry.entity';
import { Person } from './directory/person.entity';
import { TeamMember } from './directory/team-member.entity';
import { Team } from './directory/team.entity';
import { Lead } from './leads/lead.entity';
import { Customer } from './customers/customer.entity';
import { Opportunity } from './opportunities/opportunity.entity';
import { RetiredSourceCode } from './sources/retired-source-code.entity';
import { SourceMatchKey } from './sources/source-match-key.entity';
import { Source } from './sources/source.entity';
import { IntakeIdempotency } from './imports/intake/intake-idempotency.entity';
import { IntakeKey } from './imports/intake/intake-key.entity';
import { IntakeLockSlot } from './imports/intake/intake-lock-slot.entity';
import { IntakeRateLimitEntry } from './imports/intake/intake-rate-limit.entity';
import { RejectedIntake } from './imports/intake/rejected-intake.entity';
import { RoutingCursor } from './imports/intake/routing-cursor.entity';
import { ImportRunError } from './imports/runs/import-run-error.entity';
import { SourceRoutingTeam } from './sources/source-routing-team.entity';
import { ImportRun } from './imports/runs/import-run.entity';
import { ImportRunRange } from './imports/runs/import-run-range.entity';
import { SyncCursor } from './imports/distributor/sync-cursor.entity';
import { SyncLease } from './imports/distributor/sync-lease.entity';

/** Every CRM entity. Hosts add these to their DataSource `entities`. */
export const CRM_ENTITIES = [AuditEntry, Source, SourceMatchKey, RetiredSourceCode, Person, Team, TeamMember, Company, Contact, ListEntry, Lead, Customer, Opportunity, SourceRoutingTeam, RoutingCursor, IntakeKey, IntakeIdempotency, IntakeLockSlot, RejectedIntake, ImportRun, ImportRunError, ImportRunRange, SyncCursor, SyncLease, IntakeRateLimitEntry, CatalogVersion];
