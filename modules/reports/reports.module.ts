import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { OpportunitiesModule } from '../opportunities/opportunities.module';
import { SourcesModule } from '../sources/sources.module';
import { AttributionReportService } from './attribution-report.service';
import { ReportsController } from './reports.controller';

/** Reports over leads, customers and opportunities. Needs `CrmCoreModule` and their tables. */
@Module({
  imports: [LeadsModule, OpportunitiesModule, SourcesModule],
  controllers: [ReportsController],
  providers: [AttributionReportService],
  exports: [AttributionReportService],
})
export class ReportsModule {}
