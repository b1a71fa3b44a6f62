import { Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { attributionCsv } from './attribution-csv';
import { AttributionReportService } from './attribution-report.service';
import { AttributionQueryDto } from './dto/attribution-query.dto';
import { AttributionReportDto } from './dto/attribution-report.dto';
import { CsvResponseInterceptor } from './csv-response.interceptor';

@CrmController('reports', 'Reports')
@ScopedRecords('lead', 'customer', 'opportunity')
export class ReportsController {
  constructor(private readonly attribution: AttributionReportService) {}

  @Get('attribution')
  @Authorized('reports.read')
  @ApiExtraModels(AttributionReportDto)
  @ApiOkResponse({
    description: 'JSON, or with `Accept: text/csv` the rows as CSV (header row first)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AttributionReportDto) } },
      'text/csv': {
        schema: { type: 'string' },
        example: 'sourceId,sourceCode,sourceName,sourceType,count,converted,conversionRate,opportunitiesWon,wonAmount\n1,inbound_call,Inbound Call,inbound_call,12,3,0.25,2,12500.00\n',
      },
    },
  })
  @UseInterceptors(new CsvResponseInterceptor(attributionCsv, 'attribution.csv'))
  @ApiOperation({ summary: 'Attribution report', description: 'Leads, customers or opportunities counted per source or source type over a period, with conversions and won amounts. `Accept: text/csv` gives the same rows as a CSV file.' })
  report(@Caller() caller: CrmCaller, @Query() query: AttributionQueryDto) {
    return this.attribution.attribution(caller, query);
  }
}
