import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportRunError } from './runs/import-run-error.entity';
import { ImportRun } from './runs/import-run.entity';
import { ImportRunsController } from './runs/import-runs.controller';
import { ImportRunsService } from './runs/import-runs.service';

/**
 * Leads that arrive by themselves: the intake API, CSV uploads and the distributor sync, all
 * through one intake pipeline, with a shared run history.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ImportRun, ImportRunError])],
  controllers: [ImportRunsController],
  providers: [ImportRunsService],
  exports: [ImportRunsService],
})
export class ImportsModule {}
