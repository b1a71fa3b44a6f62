import { Body, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { CrmCaller } from '../../core/access/crm-caller';
import { Authorized, Caller } from '../../core/access/crm-access.decorators';
import { ErrorResponseDto } from '../../core/errors/error-response.dto';
import { CrmController } from '../../core/http/crm-controller.decorator';
import { NotForPartners } from '../../core/visibility/record-scope.decorators';
import { IdParam } from '../../core/http/id-param.decorator';
import { PageQueryDto } from '../../core/http/page';
import { CreatedIntakeKeyDto, CreateIntakeKeyDto, IntakeKeyDto, IntakeKeyPageDto } from './dto/intake-key.dto';
import { IntakeKeysService } from './intake-keys.service';
import { ApiBodyExample } from '../../core/http/api-body-example';

const NotFound = ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such key' });

@CrmController('intake/keys', 'Lead intake')
@NotForPartners()
export class IntakeKeysController {
  constructor(private readonly keys: IntakeKeysService) {}

  @Post()
  @Authorized('intake.manage')
  @ApiCreatedResponse({ type: CreatedIntakeKeyDto, description: 'The key is in `key`, shown this once' })
  @ApiOperation({ summary: 'Create an intake API key', description: 'The secret is in the answer this once; store it in the system that will submit leads.' })
  @ApiBodyExample(CreateIntakeKeyDto, 'A key for the website contact form', { name: 'Website contact form' })
  create(@Caller() caller: CrmCaller, @Body() dto: CreateIntakeKeyDto) {
    return this.keys.create(caller, dto);
  }

  @Get()
  @Authorized('intake.manage')
  @ApiOkResponse({ type: IntakeKeyPageDto, description: 'Keys without their secrets' })
  @ApiOperation({ summary: 'List intake API keys' })
  list(@Caller() caller: CrmCaller, @Query() query: PageQueryDto) {
    return this.keys.list(caller, query);
  }

  @Delete(':id')
  @Authorized('intake.manage')
  @ApiOkResponse({ type: IntakeKeyDto, description: 'Revoked (kept for the record)' })
  @NotFound
  @ApiOperation({ summary: 'Delete an intake API key', description: 'Revokes it; the key stays listed for the record.' })
  remove(@Caller() caller: CrmCaller, @IdParam('the intake API key') id: number) {
    return this.keys.revoke(caller, id);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Authorized('intake.manage')
  @ApiOkResponse({ type: IntakeKeyDto })
  @NotFound
  @ApiOperation({ summary: 'Revoke an intake API key', description: 'Submissions with it are refused from now on.' })
  revoke(@Caller() caller: CrmCaller, @IdParam('the intake API key') id: number) {
    return this.keys.revoke(caller, id);
  }
}
