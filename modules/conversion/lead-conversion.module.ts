import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { DirectoryModule } from '../directory/directory.module';
import { LeadsModule } from '../leads/leads.module';
import { OpportunitiesModule } from '../opportunities/opportunities.module';
import { DuplicateCustomers } from './duplicate-customers.service';
import { LeadConversionController } from './lead-conversion.controller';
import { LeadConversionService } from './lead-conversion.service';

/** `POST /leads/:id/convert`. Needs `CrmCoreModule`, and the leads, customers and opportunities tables. */
@Module({
  imports: [DirectoryModule, LeadsModule, CustomersModule, OpportunitiesModule],
  controllers: [LeadConversionController],
  providers: [LeadConversionService, DuplicateCustomers],
  exports: [LeadConversionService],
})
export class LeadConversionModule {}
