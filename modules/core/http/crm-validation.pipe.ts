import { Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { CrmError, CrmFieldError } from '../errors/crm-error';

/**
 * The CRM's validation: unknown fields are refused, values are transformed to their DTO types,
 * and every failure names the field (dotted path for nested objects) and the rule it broke.
 */
@Injectable()
export class CrmValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => CrmError.validation(flatten(errors)),
    });
  }
}

function flatten(errors: ValidationError[], parent = ''): CrmFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not an accepted field` : message.replace(error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
