import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { IdParam } from '../core/http/id-param.decorator';
import { ConversionResultDto } from './dto/conversion-result.dto';
import { ConvertLeadDto } from './dto/convert-lead.dto';
import { LeadConversionService } from './lead-conversion.service';
import { ApiBodyExample } from '../core/http/api-body-example';

@CrmController('leads', 'Leads')
@ScopedRecords('lead', 'customer', 'opportunity')
export class LeadConversionController {
  constructor(private readonly conversion: LeadConversionService) {}

  @Post(':id/convert')
  @HttpCode(200)
  @Authorized('leads.write')
  @ApiOkResponse({ type: ConversionResultDto, description: 'Converted: the lead links to what it produced, and they link back' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: "No such lead (or, for a partner supervisor, not their partner company's)" })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Already converted, lost or not qualified; or customers of the same company exist (`details.candidates`)',
  })
  @ApiOperation({ summary: 'Convert a lead to a customer', description: 'Creates (or, with `customerId`, reuses) the customer and, if asked, an opportunity; the lead keeps its source and the customer gets it too. The lead must be qualified.' })
  @ApiBodyExample(ConvertLeadDto, 'A new customer and an opportunity from a qualified lead', { customer: { mode: 'create' }, opportunity: { title: 'Fleet of 12 vans', amount: '360000.00', currency: 'EUR', expectedCloseDate: '2026-05-31' } })
  convert(@Caller() caller: CrmCaller, @IdParam('the lead') id: number, @Body() dto: ConvertLeadDto) {
    return this.conversion.convert(caller, id, dto);
  }
}
