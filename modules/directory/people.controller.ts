import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import type { CrmCaller } from '../core/access/crm-caller';
import { Authorized, Caller } from '../core/access/crm-access.decorators';
import { AuditEntryPageDto } from '../core/audit/dto/audit-entry.dto';
import { ErrorResponseDto } from '../core/errors/error-response.dto';
import { CrmController } from '../core/http/crm-controller.decorator';
import { PageQueryDto } from '../core/http/page';
import { CreatePersonDto } from './dto/create-person.dto';
import { PersonDto, PersonPageDto } from './dto/person.dto';
import { PersonQueryDto } from './dto/person-query.dto';
import { UpdatePersonDto } from './dto/update-person.dto';
import { PeopleService } from './people.service';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No person with this id' });

@CrmController('people', 'Directory')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Authorized('directory.read')
  @ApiOkResponse({ type: PersonPageDto })
  list(@Caller() caller: CrmCaller, @Query() query: PersonQueryDto) {
    return this.people.list(caller, query);
  }

  @Get(':id')
  @Authorized('directory.read')
  @ApiOkResponse({ type: PersonDto })
  @NotFound
  get(@Caller() caller: CrmCaller, @Param('id') id: string) {
    return this.people.get(caller, id);
  }

  @Post()
  @Authorized('directory.write')
  @ApiCreatedResponse({ type: PersonDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A person with this id already exists' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreatePersonDto) {
    return this.people.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('directory.write')
  @ApiOkResponse({ type: PersonDto })
  @NotFound
  update(@Caller() caller: CrmCaller, @Param('id') id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('directory.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  history(@Caller() caller: CrmCaller, @Param('id') id: string, @Query() query: PageQueryDto) {
    return this.people.history(caller, id, query);
  }
}
