import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { CrmError } from '../errors/crm-error';
import { documentOnHandler } from './document-on-handler';
import { INT_COLUMN_MAX } from './stored-value-rules';

/** Digits only, as a path segment carries an id: no sign, no exponent, no spaces. */
const DIGITS = /^\d{1,10}$/;

/** A record id of a path: 1 up to the largest the INT id columns hold; anything else is a 400 naming the parameter. */
class ParseIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    const id = DIGITS.test(value) ? Number(value) : NaN;
    if (!(id >= 1 && id <= INT_COLUMN_MAX)) throw CrmError.invalidField(this.name, 'isInt', `${this.name} must be a positive integer (a record id, at most ${INT_COLUMN_MAX})`);
    return id;
  }
}

/**
 * A positive integer route parameter; anything else is a 400 naming the parameter. `of` names the record
 * in the users' words (`'the lead source'`), for the parameter's description in Swagger.
 */
export function IdParam(of: string, name = 'id'): ParameterDecorator {
  const param = Param(name, new ParseIdPipe(name));
  const doc = ApiParam({ name, schema: { type: 'integer', minimum: 1, maximum: INT_COLUMN_MAX }, description: `Id of ${of}` });
  return (target, key, index) => {
    param(target, key, index);
    documentOnHandler(doc, target, key);
  };
}
