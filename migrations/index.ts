import { CrmSources1763856000000 } from './1763856000000-crm-sources';
import { CrmSeedSources1763856000100 } from './1763856000100-crm-seed-sources';
import { CrmDirectory1763856000200 } from './1763856000200-crm-directory';
import { CrmLeads1763856000300 } from './1763856000300-crm-leads';
import { CrmCustomersOpportunities1763856000400 } from './1763856000400-crm-customers-opportunities';
import { CrmIntake1763856000500 } from './1763856000500-crm-intake';
import { CrmDistributorSync1763856000600 } from './1763856000600-crm-distributor-sync';
import { CrmSeedIntakeDefaults1763856000700 } from './1763856000700-crm-seed-intake-defaults';
import { CrmIntakeLockSlots1763856000800 } from './1763856000800-crm-intake-lock-slots';
import { CrmRecordPartners1764600000000 } from './1764600000000-crm-record-partners';
import { CrmIntakeIdempotencyBinding1764600000050 } from './1764600000050-crm-intake-idempotency-binding';
import { CrmRunHeartbeat1764600000100 } from './1764600000100-crm-run-heartbeat';
import { CrmContactPhoneExtension1764600000101 } from './1764600000101-crm-contact-phone-extension';
import { CrmLeadQualificationText1764600000400 } from './1764600000400-crm-lead-qualification-text';
import { CrmOptionalOwners1764600000401 } from './1764600000401-crm-optional-owners';
import { CrmPostgresSearchIndexes1764600000700 } from './1764600000700-crm-postgres-search-indexes';
import { CrmCompanyListIndexes1764600000800 } from './1764600000800-crm-company-list-indexes';
import { CrmLeadCountIndexes1764600000820 } from './1764600000820-crm-lead-count-indexes';
import { CrmIntakeRateLimit1764600000860 } from './1764600000860-crm-intake-rate-limit';
import { CrmCatalogVersion1764600000861 } from './1764600000861-crm-catalog-version';
import { CrmImportProvenance1764600000880 } from './1764600000880-crm-import-provenance';
import { CrmWiderIntakeLockSlots1764600000881 } from './1764600000881-crm-intake-lock-slots-65536';

/** Every CRM migration, oldest first. Hosts add these to their DataSource `migrations`. */
export const CRM_MIGRATIONS = [CrmSources1763856000000, CrmSeedSources1763856000100, CrmDirectory1763856000200, CrmLeads1763856000300, CrmCustomersOpportunities1763856000400, CrmIntake1763856000500, CrmDistributorSync1763856000600, CrmSeedIntakeDefaults1763856000700, CrmIntakeLockSlots1763856000800, CrmRecordPartners1764600000000, CrmIntakeIdempotencyBinding1764600000050, CrmRunHeartbeat1764600000100, CrmContactPhoneExtension1764600000101, CrmLeadQualificationText1764600000400, CrmOptionalOwners1764600000401, CrmPostgresSearchIndexes1764600000700, CrmCompanyListIndexes1764600000800, CrmLeadCountIndexes1764600000820, CrmIntakeRateLimit1764600000860, CrmCatalogVersion1764600000861, CrmImportProvenance1764600000880, CrmWiderIntakeLockSlots1764600000881];
