import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { LeadsModule } from '../leads/leads.module';
import { SourcesModule } from '../sources/sources.module';
import { CsvImportController } from './csv/csv-import.controller';
import { CsvImportService } from './csv/csv-import.service';
import { CsvUploadReceiver } from './csv/csv-upload.service';
import { DistributorPageWriter } from './distributor/distributor-page-writer.service';
import { DistributorScheduler } from './distributor/distributor-scheduler.service';
import { DistributorSyncService } from './distributor/distributor-sync.service';
import { DistributorController } from './distributor/distributor.controller';
import { SyncLeaseService } from './distributor/sync-lease.service';
import { DuplicateFinder } from './intake/duplicate-finder.service';
import { IntakeApiKeyGuard } from './intake/intake-api-key.guard';
import { IntakeIdempotency } from './intake/intake-idempotency.entity';
import { IntakeIdempotencyService } from './intake/intake-idempotency.service';
import { IntakeKeyLocks } from './intake/intake-key-locks.service';
import { IntakeKey } from './intake/intake-key.entity';
import { IntakeKeysController } from './intake/intake-keys.controller';
import { IntakeKeysService } from './intake/intake-keys.service';
import { IntakePipeline } from './intake/intake-pipeline.service';
import { IntakeRateLimiter } from './intake/intake-rate-limiter.service';
import { IntakeResponder } from './intake/intake-responder.service';
import { IntakeSourceMatcher } from './intake/intake-source-matcher.service';
import { IntakeValidator } from './intake/intake-validator.service';
import { IntakeController } from './intake/intake.controller';
import { IntakeService } from './intake/intake.service';
import { LeadRouter } from './intake/lead-router.service';
import { RejectedIntake } from './intake/rejected-intake.entity';
import { RejectedIntakeService } from './intake/rejected-intake.service';
import { RoutingCursor } from './intake/routing-cursor.entity';
import { ImportRunError } from './runs/import-run-error.entity';
import { ImportRun } from './runs/import-run.entity';
import { ImportRunsController } from './runs/import-runs.controller';
import { ImportRunsService } from './runs/import-runs.service';
import { ImportPageAudit } from './runs/import-page-audit.service';
import { ImportRunRange } from './runs/import-run-range.entity';
import { RunHeartbeat } from './runs/run-heartbeat.service';

/**
 * Leads that arrive by themselves: the intake API, CSV uploads and the distributor sync, all
 * through one intake pipeline, with a shared run history.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ImportRun, ImportRunError, ImportRunRange, IntakeKey, IntakeIdempotency, RejectedIntake, RoutingCursor]),
    SourcesModule,
    DirectoryModule,
    LeadsModule,
  ],
  controllers: [ImportRunsController, IntakeController, IntakeKeysController, CsvImportController, DistributorController],
  providers: [RunHeartbeat, ImportRunsService, ImportPageAudit, IntakeSourceMatcher, IntakeValidator, DuplicateFinder, LeadRouter, IntakeKeyLocks, IntakePipeline, IntakeResponder, IntakeKeysService, IntakeRateLimiter, IntakeApiKeyGuard, IntakeIdempotencyService, RejectedIntakeService, IntakeService, CsvUploadReceiver, CsvImportService, SyncLeaseService, DistributorPageWriter, DistributorSyncService, DistributorScheduler],
  exports: [RunHeartbeat, ImportRunsService, IntakePipeline, DistributorSyncService],
})
export class ImportsModule {}
