import { HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { CrmCaller } from '../../core/access/crm-caller';
import { Authorized, Caller } from '../../core/access/crm-access.decorators';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { NotForPartners } from '../../core/visibility/record-scope.decorators';
import { ImportRunDto } from '../runs/dto/import-run.dto';
import { CSV_COLUMN_NAMES } from './csv-columns';
import { CsvImportService } from './csv-import.service';
import { CsvImportQueryDto } from './dto/csv-import-query.dto';

@CrmController('imports', 'Imports')
@NotForPartners()
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
      properties: { file: { type: 'string', format: 'binary', description: `A CSV whose first row names its columns: ${CSV_COLUMN_NAMES.join(', ')} (also spelled e.g. E-mail, Phone number, First Name)` } },
    },
  })
  @ApiAcceptedResponse({ type: ImportRunDto, description: 'The run, queued: follow it at GET /crm/imports/runs/{id}' })
  @ApiOperation({ summary: 'Import leads from a CSV file', description: 'Queues an import run for the uploaded file; each row becomes a lead through intake. The encoding (UTF-8 with or without BOM, UTF-16, Windows-1251/1252, ...) and the delimiter (comma, semicolon, tab) are detected unless given. A row that cannot be read (too many or too few fields, a malformed quote, an overlong row) fails alone, with its reason in errors.csv. With `dryRun=true` the rows are checked and counted but nothing is written.' })
  upload(@Caller() caller: CrmCaller, @Req() request: IncomingMessage, @Query() query: CsvImportQueryDto) {
    return this.csv.start(caller, request, query);
  }
}
