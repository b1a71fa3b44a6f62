import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmAccessGuard } from './access/crm-access.guard';
import { AuditEntry } from './audit/audit-entry.entity';
import { AuditLogService } from './audit/audit-log.service';
import { CatalogVersions } from './catalog/catalog-versions.service';
import { CrmTransactions } from './database/crm-transactions.service';
import { CrmExceptionFilter } from './errors/crm-exception.filter';
import { CrmValidationPipe } from './http/crm-validation.pipe';
import { ListTotals } from './http/list-totals.service';
import { CRM_OPTIONS, CrmModuleOptions, resolveCrmOptions } from './options/crm-module-options';
import { CRM_RAW_OPTIONS, CrmConfigurableModule } from './options/crm.module-definition';
import { RecordChanges } from './records/record-changes.service';
import { ReferenceRegistry } from './references/reference-registry.service';
import { RecordVisibility } from './visibility/record-visibility.service';

const SHARED = [CrmAccessGuard, CrmExceptionFilter, CrmValidationPipe, AuditLogService, CrmTransactions, ReferenceRegistry, RecordVisibility, CatalogVersions, ListTotals, RecordChanges];

/**
 * What every CRM feature module shares: options, the access guard, error mapping, the audit log,
 * transactions, the reference registry, the record-visibility rule, the catalogue versions, list totals and record-change listeners. Global so feature modules imported on their own find it;
 * it registers no global guard, pipe or filter, so the host's routes are untouched.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  providers: [
    { provide: CRM_OPTIONS, useFactory: (raw: CrmModuleOptions) => resolveCrmOptions(raw), inject: [CRM_RAW_OPTIONS] },
    ...SHARED,
  ],
  exports: [CRM_OPTIONS, ...SHARED],
})
export class CrmCoreModule extends CrmConfigurableModule {}
