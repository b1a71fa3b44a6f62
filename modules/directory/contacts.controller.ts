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
import { ContactsService } from './contacts.service';
import { ContactDto, ContactPageDto } from './dto/contact.dto';
import { ContactQueryDto } from './dto/contact-query.dto';
import { CreateContactDto } from './dto/create-contact.dto';
import { UpdateContactDto } from './dto/update-contact.dto';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No contact with this id' });

@CrmController('contacts', 'Companies and contacts')
@ScopedRecords('contact')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  @Authorized('directory.read')
  @ApiOkResponse({ type: ContactPageDto })
  @ApiOperation({ summary: 'List contacts' })
  list(@Caller() caller: CrmCaller, @Query() query: ContactQueryDto) {
    return this.contacts.list(caller, query);
  }

  @Get(':id')
  @Authorized('directory.read')
  @ApiOkResponse({ type: ContactDto })
  @NotFound
  @ApiOperation({ summary: 'Get a contact' })
  get(@Caller() caller: CrmCaller, @IdParam('the contact') id: number) {
    return this.contacts.get(caller, id);
  }

  @Post()
  @Authorized('companies.write')
  @ApiCreatedResponse({ type: ContactDto })
  @ApiOperation({ summary: 'Create a contact' })
  @ApiBodyExample(CreateContactDto, 'A contact person', { firstName: 'John', lastName: 'Smith', email: 'john.smith@initech.example', phone: '+1 555 0100', jobTitle: 'Fleet manager' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateContactDto) {
    return this.contacts.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('companies.write')
  @ApiOkResponse({ type: ContactDto })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Stale version' })
  @ApiOperation({ summary: 'Edit a contact' })
  @ApiBodyExample(UpdateContactDto, 'A new job title', { jobTitle: 'Head of fleet', version: 1 })
  update(@Caller() caller: CrmCaller, @IdParam('the contact') id: number, @Body() dto: UpdateContactDto) {
    return this.contacts.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('directory.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A contact's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the contact') id: number, @Query() query: PageQueryDto) {
    return this.contacts.history(caller, id, query);
  }
}
