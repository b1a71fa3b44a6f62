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
import { CompaniesService } from './companies.service';
import { CompanyDto, CompanyPageDto } from './dto/company.dto';
import { CompanyQueryDto } from './dto/company-query.dto';
import { CreateCompanyDto } from './dto/create-company.dto';
import { UpdateCompanyDto } from './dto/update-company.dto';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No company with this id' });
const Conflict = (description: string) => ApiConflictResponse({ type: ErrorResponseDto, description });

@CrmController('companies', 'Companies and contacts')
@ScopedRecords('company')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Get()
  @Authorized('directory.read')
  @ApiOkResponse({ type: CompanyPageDto })
  @ApiOperation({ summary: 'List companies' })
  list(@Caller() caller: CrmCaller, @Query() query: CompanyQueryDto) {
    return this.companies.list(caller, query);
  }

  @Get(':id')
  @Authorized('directory.read')
  @ApiOkResponse({ type: CompanyDto })
  @NotFound
  @ApiOperation({ summary: 'Get a company' })
  get(@Caller() caller: CrmCaller, @IdParam('the company') id: number) {
    return this.companies.get(caller, id);
  }

  @Post()
  @Authorized('companies.write')
  @ApiCreatedResponse({ type: CompanyDto })
  @Conflict('The name, website domain or TIN already belongs to a company (`details.field`, `details.existingId`)')
  @ApiOperation({ summary: 'Create a company', description: 'Refused when the name, website domain or TIN already belongs to a company: pick that one instead.' })
  @ApiBodyExample(CreateCompanyDto, 'A customer company', { name: 'Acme Ltd', website: 'https://www.acme.com', tin: '7701234567', city: 'Springfield' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateCompanyDto) {
    return this.companies.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('companies.write')
  @ApiOkResponse({ type: CompanyDto })
  @NotFound
  @Conflict('Stale version, or the name, website domain or TIN belongs to another company')
  @ApiOperation({ summary: 'Edit a company' })
  @ApiBodyExample(UpdateCompanyDto, 'The company moved', { city: 'Shelbyville', version: 1 })
  update(@Caller() caller: CrmCaller, @IdParam('the company') id: number, @Body() dto: UpdateCompanyDto) {
    return this.companies.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('directory.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A company's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the company') id: number, @Query() query: PageQueryDto) {
    return this.companies.history(caller, id, query);
  }
}
