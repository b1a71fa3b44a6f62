import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../../core/access/crm-caller';
import { Authorized, Caller } from '../../core/access/crm-access.decorators';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { NotForPartners } from '../../core/visibility/record-scope.decorators';
import { IdParam } from '../../core/http/id-param.decorator';
import { ImportRunDto, ImportRunPageDto, ReplayResultDto } from './dto/import-run.dto';
import { ImportRunQueryDto } from './dto/import-run-query.dto';
import { ReplayImportRowDto } from './dto/replay-import-row.dto';
import { ImportRunsService } from './import-runs.service';
import { ApiBodyExample } from '../../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such run (or error row)' });

@CrmController('imports/runs', 'Imports')
@NotForPartners()
export class ImportRunsController {
  constructor(private readonly runs: ImportRunsService) {}

  @Get()
  @Authorized('imports.run')
  @ApiOkResponse({ type: ImportRunPageDto })
  @ApiOperation({ summary: 'List import runs', description: 'CSV imports and distributor syncs, newest first.' })
  list(@Caller() caller: CrmCaller, @Query() query: ImportRunQueryDto) {
    return this.runs.list(caller, query);
  }

  @Get(':id')
  @Authorized('imports.run')
  @ApiOkResponse({ type: ImportRunDto, description: 'Status, processed/total and counts' })
  @NotFound
  @ApiOperation({ summary: 'Get an import run', description: 'Its status, how many rows it has processed and what became of them.' })
  get(@Caller() caller: CrmCaller, @IdParam('the import run') id: number) {
    return this.runs.get(caller, id);
  }

  @Get(':id/errors.csv')
  @Authorized('imports.run')
  @ApiOkResponse({
    description: 'Each failed row not yet replayed: its columns plus `row_number` and `error`, ready to fix and re-upload',
    content: { 'text/csv': { schema: { type: 'string' }, example: 'row_number,name,email,source,error\n2,Acme vans,not-an-email,campaign,email must be an email\n' } },
  })
  @NotFound
  @ApiOperation({ summary: "Download a run's failed rows as CSV", description: 'Each failed row not yet replayed, with its original columns plus `row_number` and `error`: fix them and upload the file again.' })
  errors(@Caller() caller: CrmCaller, @IdParam('the import run') id: number) {
    return this.runs.errorsCsv(caller, id);
  }

  @Post(':runId/errors/:id/replay')
  @HttpCode(200)
  @Authorized('imports.run')
  @ApiOkResponse({ type: ReplayResultDto })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already replayed' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'The row still names a source that matches nothing' })
  @ApiOperation({
    summary: 'Replay a failed row',
    description:
      'Runs one failed row through intake again, e.g. after the source it named was created, or with corrections to its fields (a wrong email, a missing last name); still refused: 400 with the reason, nothing changed.',
  })
  @ApiBodyExample(ReplayImportRowDto, 'Replay a row refused for its email, with the email corrected', { corrections: { email: 'jane.roe@example.com' } })
  replay(@Caller() caller: CrmCaller, @IdParam('the import run', 'runId') runId: number, @IdParam('the failed row') id: number, @Body() dto: ReplayImportRowDto) {
    return this.runs.replayError(caller, runId, id, dto.corrections);
  }
}
