import { Param, ParseIntPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { CrmError } from '../errors/crm-error';
import { documentOnHandler } from './document-on-handler';

/**
 * A positive integer route parameter; anything else is a 400 naming the parameter. `of` names the record
 * in the users' words (`'the lead source'`), for the parameter's description in Swagger.
 */
export function IdParam(of: string, name = 'id'): ParameterDecorator {
  const param = Param(
    name,
    new ParseIntPipe({
      exceptionFactory: () => CrmError.invalidField(name, 'isInt', `${name} must be a positive integer`),
    }),
  );
  const doc = ApiParam({ name, schema: { type: 'integer', minimum: 1 }, description: `Id of ${of}` });
  return (target, key, index) => {
    param(target, key, index);
    documentOnHandler(doc, target, key);
  };
}
