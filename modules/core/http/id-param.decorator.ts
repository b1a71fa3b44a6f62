import { Param, ParseIntPipe } from '@nestjs/common';
import { CrmError } from '../errors/crm-error';

/** A positive integer route parameter; anything else is a 400 naming the parameter. */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseIntPipe({
      exceptionFactory: () => CrmError.invalidField(name, 'isInt', `${name} must be a positive integer`),
    }),
  );
}
