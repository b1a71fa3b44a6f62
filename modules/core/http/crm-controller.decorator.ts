import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { CrmAccessGuard } from '../access/crm-access.guard';
import { CrmExceptionFilter } from '../errors/crm-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import type { CrmApiTag } from './crm-swagger';
import { ShieldedRouteParams } from './shielded-route-params';

/**
 * A CRM controller: the CRM's guard, validation and error mapping bound here rather than globally,
 * so the host's own routes are untouched; and its params shielded from the host's global pipes, so
 * CRM routes answer the same whatever `ValidationPipe` the host registers.
 */
export function CrmController(path: string, tag: CrmApiTag): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiTags(tag),
    UseGuards(CrmAccessGuard),
    ShieldedRouteParams(),
    UseFilters(CrmExceptionFilter),
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input: names each field and the rule it broke' }),
  );
}
