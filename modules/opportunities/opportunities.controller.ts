import { Body, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { IdParam } from '../core/http/id-param.decorator';
import { PageQueryDto } from '../core/http/page';
import { CreateOpportunityDto } from './dto/create-opportunity.dto';
import { OpportunityBoardDto, OpportunityBoardQueryDto } from './dto/opportunity-board.dto';
import { OpportunityDto, OpportunityPageDto } from './dto/opportunity.dto';
import { OpportunityQueryDto } from './dto/opportunity-query.dto';
import { UpdateOpportunityDto } from './dto/update-opportunity.dto';
import { OpportunitiesService } from './opportunities.service';
import { OpportunityBoardService } from './opportunity-board.service';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No opportunity with this id' });

@CrmController('opportunities', 'Opportunities')
export class OpportunitiesController {
  constructor(
    private readonly opportunities: OpportunitiesService,
    private readonly boards: OpportunityBoardService,
  ) {}

  @Get()
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityPageDto })
  list(@Caller() caller: CrmCaller, @Query() query: OpportunityQueryDto) {
    return this.opportunities.list(caller, query);
  }

  @Get('board')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityBoardDto })
  board(@Caller() caller: CrmCaller, @Query() query: OpportunityBoardQueryDto) {
    return this.boards.board(caller, query);
  }

  @Get(':id')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: OpportunityDto })
  @NotFound
  get(@Caller() caller: CrmCaller, @IdParam() id: number) {
    return this.opportunities.get(caller, id);
  }

  @Post()
  @Authorized('opportunities.write')
  @ApiCreatedResponse({ type: OpportunityDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The parent lead is converted or lost' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateOpportunityDto) {
    return this.opportunities.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('opportunities.write')
  @ApiOkResponse({ type: OpportunityDto })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Stale version' })
  update(@Caller() caller: CrmCaller, @IdParam() id: number, @Body() dto: UpdateOpportunityDto) {
    return this.opportunities.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('opportunities.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  history(@Caller() caller: CrmCaller, @IdParam() id: number, @Query() query: PageQueryDto) {
    return this.opportunities.history(caller, id, query);
  }
}
