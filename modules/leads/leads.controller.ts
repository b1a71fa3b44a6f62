import { Body, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { IdParam } from '../core/http/id-param.decorator';
import { Locales } from '../core/http/locales.decorator';
import { PageQueryDto } from '../core/http/page';
import { CreateLeadDto } from './dto/create-lead.dto';
import { LeadBoardDto, LeadBoardQueryDto } from './dto/lead-board.dto';
import { LeadDto, LeadPageDto } from './dto/lead.dto';
import { LeadQueryDto } from './dto/lead-query.dto';
import { UpdateLeadDto } from './dto/update-lead.dto';
import { LeadsService } from './leads.service';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No lead with this id (or not one of your partner company)' });
const Conflict = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });

@CrmController('leads', 'Leads')
@ScopedRecords('lead')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadPageDto })
  @ApiOperation({ summary: 'List leads', description: "Filter by source, source type, owner, status, company, partner company, creation dates or text; partner supervisors see only their partner company's leads." })
  list(@Caller() caller: CrmCaller, @Query() query: LeadQueryDto) {
    return this.leads.list(caller, query);
  }

  @Get('board')
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadBoardDto })
  @ApiOperation({ summary: 'The lead board', description: 'Leads grouped into columns (by status or by source), each column with its count and first cards.' })
  board(@Caller() caller: CrmCaller, @Query() query: LeadBoardQueryDto, @Locales() locales: string[]) {
    return this.leads.board(caller, query, locales);
  }

  @Get(':id')
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadDto })
  @NotFound
  @ApiOperation({ summary: 'Get a lead' })
  get(@Caller() caller: CrmCaller, @IdParam('the lead') id: number) {
    return this.leads.get(caller, id);
  }

  @Post()
  @Authorized('leads.write')
  @ApiCreatedResponse({ type: LeadDto })
  @Conflict('The new company clashes with an existing one (`details.field`, `details.existingId`)')
  @ApiOperation({ summary: 'Create a lead', description: 'Needs a name, a lead source, a sales direction, a company (existing or new) and a contact (existing or new).' })
  @ApiBodyExample(CreateLeadDto, 'A lead with a new company and contact', { name: 'Fleet of 12 vans for Globex', sourceId: 1, salesDirectionId: 1, newCompany: { name: 'Globex Corporation', website: 'https://globex.example', tin: '7707654321' }, newContact: { firstName: 'Hank', lastName: 'Scorpio', email: 'hank.scorpio@globex.example', phone: '+1 555 0142' }, customerRequirements: '12 electric vans, delivery before the summer', city: 'Cypress Creek', budgetIsSet: true, budget: '300000', estimatedAmount: '360000.00', procurementProcedure: 'request_for_quotation', decisionLevel: 'company_management', terms: 'within_a_quarter', contactPersonLevel: 'top_manager' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateLeadDto) {
    return this.leads.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('leads.write')
  @ApiOkResponse({ type: LeadDto })
  @NotFound
  @Conflict('LOCKED: the lead is converted or lost, or its import source is locked (managers only); STALE_VERSION; DUPLICATE new company')
  @ApiOperation({ summary: 'Edit a lead', description: 'Only the fields you send change; send the `version` you read so a newer change is not overwritten. Converted and lost leads are locked.' })
  @ApiBodyExample(UpdateLeadDto, 'Qualify the lead', { status: 'qualified', terms: 'within_a_month', termsComment: 'Budget approved in March', version: 1 })
  update(@Caller() caller: CrmCaller, @IdParam('the lead') id: number, @Body() dto: UpdateLeadDto) {
    return this.leads.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorized('leads.delete')
  @ApiNoContentResponse({ description: 'Deleted; its history stays' })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Converted, or has opportunities: `details.references` counts what refers to it (mark it lost instead)' })
  @ApiOperation({ summary: 'Delete a lead', description: 'Its change history stays. A lead that was converted or has opportunities stays too.' })
  async remove(@Caller() caller: CrmCaller, @IdParam('the lead') id: number): Promise<void> {
    await this.leads.remove(caller, id);
  }

  @Get(':id/history')
  @Authorized('leads.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A lead's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the lead') id: number, @Query() query: PageQueryDto) {
    return this.leads.history(caller, id, query);
  }
}
