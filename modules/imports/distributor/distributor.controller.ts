import { HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiOperation, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { Authorized, Caller } from '../../core/access/crm-access.decorators';
import type { CrmCaller } from '../../core/access/crm-caller';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { NotForPartners } from '../../core/visibility/record-scope.decorators';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import { DistributorSyncService } from './distributor-sync.service';

@CrmController('imports/distributor', 'Imports')
@NotForPartners()
export class DistributorController {
  constructor(private readonly sync: DistributorSyncService) {}

  @Post('run')
  @HttpCode(202)
  @Authorized('imports.run')
  @ApiAcceptedResponse({ type: ImportRunDto, description: 'Started; follow it at GET /crm/imports/runs/{id}' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A sync is already running (in this or another instance)' })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The distributor is not configured' })
  @ApiOperation({ summary: 'Sync the distributor now', description: "Pulls new web quotations and test-drive requests from the distributor's Odoo now, instead of waiting for the schedule." })
  run(@Caller() caller: CrmCaller): Promise<ImportRunDto> {
    return this.sync.startRun(caller);
  }
}
