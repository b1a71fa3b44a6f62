import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { SourcesModule } from '../sources/sources.module';
import { LeadFinder } from './lead-finder.service';
import { LeadReferences } from './lead-references.service';
import { LeadSearchIndex } from './lead-search-index.service';
import { LeadSearchToken } from './lead-search-token.entity';
import { LeadTallyRow } from './lead-tally.entity';
import { LeadTally } from './lead-tally.service';
import { LeadWriter } from './lead-writer.service';
import { Lead } from './lead.entity';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

/** Leads: the form, its rules, the list and the board. Needs `CrmCoreModule`. */
@Module({
  imports: [TypeOrmModule.forFeature([Lead, LeadSearchToken, LeadTallyRow]), SourcesModule, DirectoryModule],
  controllers: [LeadsController],
  providers: [LeadReferences, LeadSearchIndex, LeadTally, LeadWriter, LeadFinder, LeadsService],
  exports: [LeadWriter, LeadsService, LeadSearchIndex, LeadTally],
})
export class LeadsModule {}
