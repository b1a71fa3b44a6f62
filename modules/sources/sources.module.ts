import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RetiredSourceCode } from './retired-source-code.entity';
import { SourceCatalog } from './source-catalog.service';
import { SourceEligibilityService } from './source-eligibility.service';
import { SourceLifecycleService } from './source-lifecycle.service';
import { SourceMatchKey } from './source-match-key.entity';
import { Source } from './source.entity';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

/** The source catalogue. Needs `CrmCoreModule` (imported by `CrmModule.forRoot`). */
@Module({
  imports: [TypeOrmModule.forFeature([Source, SourceMatchKey, RetiredSourceCode])],
  controllers: [SourcesController],
  providers: [SourceCatalog, SourcesService, SourceLifecycleService, SourceEligibilityService],
  exports: [SourcesService, SourceEligibilityService, SourceCatalog],
})
export class SourcesModule {}
