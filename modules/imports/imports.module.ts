import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { LeadsModule } from '../leads/leads.module';
import { SourcesModule } from '../sources/sources.module';
import { DuplicateFinder } from './intake/duplicate-finder.service';
import { IntakeIdempotency } from './intake/intake-idempotency.entity';
import { IntakeKey } from './intake/intake-key.entity';
import { IntakePipeline } from './intake/intake-pipeline.service';
import { IntakeSourceMatcher } from './intake/intake-source-matcher.service';
import { IntakeValidator } from './intake/intake-validator.service';
import { LeadRouter } from './intake/lead-router.service';
import { RejectedIntake } from './intake/rejected-intake.entity';
import { RoutingCursor } from './intake/routing-cursor.entity';
import { ImportRunError } from './runs/import-run-error.entity';
import { ImportRun } from './runs/import-run.entity';
import { ImportRunsController } from './runs/import-runs.controller';
import { ImportRunsService } from './runs/import-runs.service';

/**
 * Leads that arrive by themselves: the intake API, CSV uploads and the distributor sync, all
 * through one intake pipeline, with a shared run history.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ImportRun, ImportRunError, IntakeKey, IntakeIdempotency, RejectedIntake, RoutingCursor]),
    SourcesModule,
    DirectoryModule,
    LeadsModule,
  ],
  controllers: [ImportRunsController],
  providers: [ImportRunsService, IntakeSourceMatcher, IntakeValidator, DuplicateFinder, LeadRouter, IntakePipeline],
  exports: [ImportRunsService, IntakePipeline],
})
export class ImportsModule {}
