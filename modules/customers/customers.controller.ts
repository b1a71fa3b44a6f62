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
import { CustomersService } from './customers.service';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { CustomerDto, CustomerPageDto } from './dto/customer.dto';
import { CustomerQueryDto } from './dto/customer-query.dto';
import { UpdateCustomerDto } from './dto/update-customer.dto';
import { ApiBodyExample } from '../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No customer with this id' });

@CrmController('customers', 'Customers')
@ScopedRecords('customer')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @Authorized('customers.read')
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiOperation({ summary: 'List customers' })
  list(@Caller() caller: CrmCaller, @Query() query: CustomerQueryDto) {
    return this.customers.list(caller, query);
  }

  @Get(':id')
  @Authorized('customers.read')
  @ApiOkResponse({ type: CustomerDto })
  @NotFound
  @ApiOperation({ summary: 'Get a customer' })
  get(@Caller() caller: CrmCaller, @IdParam('the customer') id: number) {
    return this.customers.get(caller, id);
  }

  @Post()
  @Authorized('customers.write')
  @ApiCreatedResponse({ type: CustomerDto })
  @ApiOperation({ summary: 'Create a customer', description: 'The source must be enabled for customers.' })
  @ApiBodyExample(CreateCustomerDto, 'A customer who came by referral', { name: 'Initech', sourceId: 4 })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateCustomerDto) {
    return this.customers.create(caller, dto);
  }

  @Patch(':id')
  @Authorized('customers.write')
  @ApiOkResponse({ type: CustomerDto })
  @NotFound
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Stale version' })
  @ApiOperation({ summary: 'Edit a customer', description: 'A customer keeps a lead-only source it came with until another source is picked; a new one must be enabled for customers.' })
  @ApiBodyExample(UpdateCustomerDto, 'Rename the customer', { name: 'Initech LLC', version: 1 })
  update(@Caller() caller: CrmCaller, @IdParam('the customer') id: number, @Body() dto: UpdateCustomerDto) {
    return this.customers.update(caller, id, dto);
  }

  @Get(':id/history')
  @Authorized('customers.read')
  @ApiOkResponse({ type: AuditEntryPageDto })
  @NotFound
  @ApiOperation({ summary: "A customer's change history" })
  history(@Caller() caller: CrmCaller, @IdParam('the customer') id: number, @Query() query: PageQueryDto) {
    return this.customers.history(caller, id, query);
  }
}
