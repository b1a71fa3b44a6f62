import { type Type } from '@nestjs/common';
import { ApiBody, type ApiBodyOptions } from '@nestjs/swagger';

/**
 * The request body of a handler, with the example Swagger UI prefills in "Try it out". Each example succeeds as
 * sent on a fresh demo database (a record's own edit or action once that record exists): the e2e suite
 * test/openapi-examples.e2e-spec.ts sends every one of them, in the order an admin would try them.
 */
export function ApiBodyExample<T>(type: Type<T>, summary: string, value: NoInfer<T>): MethodDecorator {
  // The type form carries `examples` through to the media type, though its typing only names them on the schema form.
  return ApiBody({ type, examples: { example: { summary, value } } } as ApiBodyOptions);
}
