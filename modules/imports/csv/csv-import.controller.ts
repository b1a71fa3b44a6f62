import { HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { CrmCaller } from '../../core/access/crm-caller';
import { Authorized, Caller } from '../../core/access/crm-access.decorators';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { DryRunQueryDto } from '../../core/http/dry-run-query.dto';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import { CSV_COLUMN_NAMES } from './csv-columns';
import { CsvImportService } from './csv-import.service';

@CrmController('imports', 'Imports')
export class CsvImportController {
  constructor(private readonly csv: CsvImportService) {}

  @Post('csv')
  @HttpCode(202)
  @Authorized('imports.run')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: `A CSV whose first row names its columns: ${CSV_COLUMN_NAMES.join(', ')}` } },
    },
  })
  @ApiAcceptedResponse({ type: ImportRunDto, description: 'The run, queued: follow it at GET /crm/imports/runs/{id}' })
  @ApiOperation({ summary: 'Import leads from a CSV file', description: 'Queues an import run for the uploaded file; each row becomes a lead through intake. With `dryRun=true` the rows are checked and counted but nothing is written.' })
  upload(@Caller() caller: CrmCaller, @Req() request: IncomingMessage, @Query() query: DryRunQueryDto) {
    return this.csv.start(caller, request, query.dryRun ?? false);
  }
}
