import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferenceRegistry } from '../core/references/reference-registry.service';
import { DirectoryModule } from '../directory/directory.module';
import { LEAD_REFERENCE } from '../leads/lead-reference';
import { SOURCE_REFERENCE } from '../sources/source-lifecycle.service';
import { SourcesModule } from '../sources/sources.module';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityBoardService } from './opportunity-board.service';
import { OpportunityWriter } from './opportunity-writer.service';
import { Opportunity } from './opportunity.entity';
import { WonTallyRow } from './won-tally.entity';
import { WonTally } from './won-tally.service';

/** Opportunities of leads and customers, with the pipeline board. Needs `CrmCoreModule`. */
@Module({
  imports: [TypeOrmModule.forFeature([Opportunity, WonTallyRow]), DirectoryModule, SourcesModule],
  controllers: [OpportunitiesController],
  providers: [OpportunitiesService, OpportunityBoardService, OpportunityWriter, WonTally],
  exports: [OpportunitiesService, OpportunityWriter, WonTally],
})
export class OpportunitiesModule implements OnModuleInit {
  constructor(private readonly references: ReferenceRegistry) {}

  onModuleInit(): void {
    this.references.register(SOURCE_REFERENCE, { label: 'opportunities', entity: Opportunity, property: 'sourceId' });
    // Every opportunity a lead ever had keeps it in originLeadId (set with leadId, kept when it moves to the customer).
    this.references.register(LEAD_REFERENCE, { label: 'opportunities', entity: Opportunity, property: 'originLeadId' });
  }
}
