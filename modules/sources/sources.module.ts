import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { RetiredSourceCode } from './retired-source-code.entity';
import { SourceCatalog } from './source-catalog.service';
import { SourceCatalogCache } from './source-catalog-cache.service';
import { SourceEligibilityService } from './source-eligibility.service';
import { SourceLifecycleService } from './source-lifecycle.service';
import { SourceMatchKey } from './source-match-key.entity';
import { SourceRoutingTeam } from './source-routing-team.entity';
import { SourceRules } from './source-rules.service';
import { Source } from './source.entity';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

/** The source catalogue. Needs `CrmCoreModule` (imported by `CrmModule.forRoot`). */
@Module({
  imports: [TypeOrmModule.forFeature([Source, SourceMatchKey, SourceRoutingTeam, RetiredSourceCode]), DirectoryModule],
  controllers: [SourcesController],
  providers: [SourceCatalog, SourceCatalogCache, SourcesService, SourceLifecycleService, SourceEligibilityService, SourceRules],
  exports: [SourcesService, SourceEligibilityService, SourceCatalog, SourceCatalogCache],
})
export class SourcesModule {}
