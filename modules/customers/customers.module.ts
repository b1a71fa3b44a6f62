import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferenceRegistry } from '../core/references/reference-registry.service';
import { DirectoryModule } from '../directory/directory.module';
import { LEAD_REFERENCE } from '../leads/lead-reference';
import { SourcesModule } from '../sources/sources.module';
import { SOURCE_REFERENCE } from '../sources/source-lifecycle.service';
import { CustomerWriter } from './customer-writer.service';
import { Customer } from './customer.entity';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

/** Customers. Needs `CrmCoreModule`; uses the directory and the source catalogue. */
@Module({
  imports: [TypeOrmModule.forFeature([Customer]), DirectoryModule, SourcesModule],
  controllers: [CustomersController],
  providers: [CustomersService, CustomerWriter],
  exports: [CustomersService, CustomerWriter],
})
export class CustomersModule implements OnModuleInit {
  constructor(private readonly references: ReferenceRegistry) {}

  onModuleInit(): void {
    this.references.register(SOURCE_REFERENCE, { label: 'customers', entity: Customer, property: 'sourceId' });
    this.references.register(LEAD_REFERENCE, { label: 'customers', entity: Customer, property: 'leadId' });
  }
}
