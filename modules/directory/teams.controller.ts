import { Body, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { PageQueryDto } from '../core/http/page';
import { IdParam } from '../core/http/id-param.decorator';
import { CreateTeamDto } from './dto/create-team.dto';
import { TeamDto, TeamPageDto } from './dto/team.dto';
import { TeamQueryDto } from './dto/team-query.dto';
import { UpdateTeamDto } from './dto/update-team.dto';
import { TeamsService } from './teams.service';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No team with this id' });
const Conflict = ApiConflictResponse({ type: ErrorResponseDto, description: 'Another team has this name' });

@CrmController('teams', 'People and teams')
@ScopedRecords('team')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @Authorized('directory.read')
  @ApiOkResponse({ type: TeamPageDto })
  @ApiOperation({ summary: 'List teams' })
  list(@Caller() caller: CrmCaller, @Query() query: TeamQueryDto) {
    return this.teams.list(caller, query);
  }

  @Get(':id')
  @Authorized('directory.read')
  @ApiOkResponse({ type: TeamDto })
  @NotFound
  @ApiOperation({ summary: 'Get a team' })
  get(@Caller() caller: CrmCaller, @IdParam('the team') id: number) {
    return this.teams.get(caller, id);
  }

  @Post()
  @Authorized('directory.write')
  @ApiCreatedResponse({ type: TeamDto })
  @Conflict
  @ApiOperation({ summary: 'Create a team', description: 'A team whose active members take turns receiving the leads of the sources routed to it.' })
  @ApiBodyExample(CreateTeamDto, 'A sales team', { name: 'Inside sales' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateTeamDto) {
    return this.teams.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('directory.write')
  @ApiOkResponse({ type: TeamDto })
  @NotFound
  @Conflict
  @ApiOperation({ summary: 'Edit a team' })
  @ApiBodyExample(UpdateTeamDto, 'Rename the team', { name: 'Inside sales EMEA' })
  update(@Caller() caller: CrmCaller, @IdParam('the team') id: number, @Body() dto: UpdateTeamDto) {
    return this.teams.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('directory.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A team's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the team') id: number, @Query() query: PageQueryDto) {
    return this.teams.history(caller, id, query);
  }
}
