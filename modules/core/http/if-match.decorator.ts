import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { documentOnHandler } from './document-on-handler';

const documented = applyDecorators(
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version you read (`"3"`, `W/"3"` or `3`), if not sent as `version` in the body; a stale one is refused with 409 so a newer change is not overwritten',
    schema: { type: 'string', example: '"3"' },
  }),
  ApiResponse({ status: 428, type: ErrorResponseDto, description: 'Neither `version` in the body nor `If-Match` was sent' }),
);

/** The raw `If-Match` header (the version the caller read), documented on the handler it is used on. */
export const IfMatch = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest().headers['if-match'],
  [(target, key) => documentOnHandler(documented, target, key)],
);
