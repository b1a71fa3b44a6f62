import { Body, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { IdParam } from '../core/http/id-param.decorator';
import { Locales } from '../core/http/locales.decorator';
import { PageQueryDto } from '../core/http/page';
import { CreateLeadDto } from './dto/create-lead.dto';
import { LeadBoardDto, LeadBoardQueryDto } from './dto/lead-board.dto';
import { LeadDto, LeadPageDto } from './dto/lead.dto';
import { LeadQueryDto } from './dto/lead-query.dto';
import { UpdateLeadDto } from './dto/update-lead.dto';
import { LeadsService } from './leads.service';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No lead with this id (or not one of your partner company)' });
const Conflict = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });

@CrmController('leads', 'Leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadPageDto })
  list(@Caller() caller: CrmCaller, @Query() query: LeadQueryDto) {
    return this.leads.list(caller, query);
  }

  @Get('board')
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadBoardDto })
  board(@Caller() caller: CrmCaller, @Query() query: LeadBoardQueryDto, @Locales() locales: string[]) {
    return this.leads.board(caller, query, locales);
  }

  @Get(':id')
  @Authorized('leads.read')
  @ApiOkResponse({ type: LeadDto })
  @NotFound
  get(@Caller() caller: CrmCaller, @IdParam() id: number) {
    return this.leads.get(caller, id);
  }

  @Post()
  @Authorized('leads.write')
  @ApiCreatedResponse({ type: LeadDto })
  @Conflict('The new company clashes with an existing one (`details.field`, `details.existingId`)')
  create(@Caller() caller: CrmCaller, @Body() dto: CreateLeadDto) {
    return this.leads.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('leads.write')
  @ApiOkResponse({ type: LeadDto })
  @NotFound
  @Conflict('LOCKED: the lead is converted or lost, or its import source is locked (managers only); STALE_VERSION; DUPLICATE new company')
  update(@Caller() caller: CrmCaller, @IdParam() id: number, @Body() dto: UpdateLeadDto) {
    return this.leads.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorized('leads.delete')
  @ApiNoContentResponse({ description: 'Deleted; its history stays' })
  @NotFound
  async remove(@Caller() caller: CrmCaller, @IdParam() id: number): Promise<void> {
    await this.leads.remove(caller, id);
  }

  @Get(':id/history')
  @Authorized('leads.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  history(@Caller() caller: CrmCaller, @IdParam() id: number, @Query() query: PageQueryDto) {
    return this.leads.history(caller, id, query);
  }
}
