import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { CrmAccessGuard } from '../access/crm-access.guard';
import { CrmExceptionFilter } from '../errors/crm-exception.filter';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { CrmValidationPipe } from './crm-validation.pipe';

/**
 * A CRM controller: the CRM's guard, validation and error mapping bound here rather than globally,
 * so the host's own routes are untouched.
 */
export function CrmController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiTags(tag),
    UseGuards(CrmAccessGuard),
    UsePipes(CrmValidationPipe),
    UseFilters(CrmExceptionFilter),
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input: names each field and the rule it broke' }),
  );
}
