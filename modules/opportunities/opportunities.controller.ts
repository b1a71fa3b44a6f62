import { Body, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { IdParam } from '../core/http/id-param.decorator';
import { PageQueryDto } from '../core/http/page';
import { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { OpportunityBoardDto, OpportunityBoardQueryDto } from './dto/opportunity-board.dto';
import { OpportunityDto, OpportunityPageDto } from './dto/opportunity.dto';
import { OpportunityQueryDto } from './dto/opportunity-query.dto';
import { UpdateOpportunityDto } from './dto/update-opportunity.dto';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityBoardService } from './opportunity-board.service';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No opportunity with this id' });

@CrmController('opportunities', 'Opportunities')
@ScopedRecords('opportunity')
export class OpportunitiesController {
  constructor(
    private readonly opportunities: OpportunitiesService,
    private readonly boards: OpportunityBoardService,
  ) {}

  @Get()
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityPageDto })
  @ApiOperation({ summary: 'List opportunities' })
  list(@Caller() caller: CrmCaller, @Query() query: OpportunityQueryDto) {
    return this.opportunities.list(caller, query);
  }

  @Get('board')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityBoardDto })
  @ApiOperation({ summary: 'The opportunity pipeline board', description: 'Opportunities grouped into columns (by stage or by source), each column with its count, total amount and first cards.' })
  board(@Caller() caller: CrmCaller, @Query() query: OpportunityBoardQueryDto) {
    return this.boards.board(caller, query);
  }

  @Get(':id')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityDto })
  @NotFound
  @ApiOperation({ summary: 'Get an opportunity' })
  get(@Caller() caller: CrmCaller, @IdParam('the opportunity') id: number) {
    return this.opportunities.get(caller, id);
  }

  @Post()
  @Authorized('opportunities.write')
  @ApiCreatedResponse({ type: OpportunityDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The parent lead is converted or lost' })
  @ApiOperation({ summary: 'Create an opportunity', description: 'For a lead or a customer; its source defaults to theirs.' })
  @ApiBodyExample(CreateOpportunityDto, 'An opportunity on the customer created above (id 1 on a fresh database)', { title: 'Three pickups for Initech', customerId: 1, stage: 'qualification', amount: '96000.00', currency: 'EUR', probability: 40, expectedCloseDate: '2026-06-30' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateOpportunityDto) {
    return this.opportunities.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('opportunities.write')
  @ApiOkResponse({ type: OpportunityDto })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Stale version' })
  @ApiOperation({ summary: 'Edit an opportunity', description: 'Moving it to `lost` needs a `lostReason`.' })
  @ApiBodyExample(UpdateOpportunityDto, 'Move it to the proposal stage', { stage: 'proposal', probability: 60, version: 1 })
  update(@Caller() caller: CrmCaller, @IdParam('the opportunity') id: number, @Body() dto: UpdateOpportunityDto) {
    return this.opportunities.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "An opportunity's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the opportunity') id: number, @Query() query: PageQueryDto) {
    return this.opportunities.history(caller, id, query);
  }
}
