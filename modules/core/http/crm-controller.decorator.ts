import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
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
    // Any route, when the database cannot be reached or stays locked (the transaction runner's last attempt failed).
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'The database cannot be reached (or stayed locked by concurrent writes): nothing was changed; retry after `Retry-After` seconds',
      headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
    }),
  );
}
