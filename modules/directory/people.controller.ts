import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { ScopedRecords } from '../core/visibility/record-scope.decorators';
import { PageQueryDto } from '../core/http/page';
import { CreatePersonDto } from './dto/create-person.dto';
import { PersonDto, PersonPageDto } from './dto/person.dto';
import { PersonQueryDto } from './dto/person-query.dto';
import { UpdatePersonDto } from './dto/update-person.dto';
import { PeopleService } from './people.service';
import { ApiBodyExample } from '../core/http/api-body-example';

const PersonId = ApiParam({ name: 'id', description: "The person's user id in the host app" });
const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No person with this id' });

@CrmController('people', 'People and teams')
@ScopedRecords('person')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Authorized('directory.read')
  @ApiOkResponse({ type: PersonPageDto })
  @ApiOperation({ summary: 'List people', description: 'The users who can own records and receive routed leads.' })
  list(@Caller() caller: CrmCaller, @Query() query: PersonQueryDto) {
    return this.people.list(caller, query);
  }

  @Get(':id')
  @Authorized('directory.read')
  @ApiOkResponse({ type: PersonDto })
  @NotFound
  @PersonId
  @ApiOperation({ summary: 'Get a person' })
  get(@Caller() caller: CrmCaller, @Param('id') id: string) {
    return this.people.get(caller, id);
  }

  @Post()
  @Authorized('directory.write')
  @ApiCreatedResponse({ type: PersonDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A person with this id already exists' })
  @ApiOperation({ summary: 'Add a person', description: "Registers one of the host app's users (by their user id) so records can be assigned to them." })
  @ApiBodyExample(CreatePersonDto, 'A sales agent', { id: 'jane.doe', displayName: 'Jane Doe', email: 'jane.doe@example.com' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreatePersonDto) {
    return this.people.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('directory.write')
  @ApiOkResponse({ type: PersonDto })
  @NotFound
  @PersonId
  @ApiOperation({ summary: 'Edit a person', description: 'An inactive person keeps their records but is no longer offered as an owner or routed new leads.' })
  @ApiBodyExample(UpdatePersonDto, 'Correct the display name', { displayName: 'Jane A. Doe' })
  update(@Caller() caller: CrmCaller, @Param('id') id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('directory.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @PersonId
  @ApiOperation({ summary: "A person's change history" })
  history(@Caller() caller: CrmCaller, @Param('id') id: string, @Query() query: PageQueryDto) {
    return this.people.history(caller, id, query);
  }
}
