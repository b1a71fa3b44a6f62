import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { preferredLocales } from './accept-language';
import { documentOnHandler } from './document-on-handler';

const documented = ApiHeader({
  name: 'Accept-Language',
  required: false,
  description: 'Languages for display names, most preferred first (`fr-CA, fr;q=0.9, en;q=0.5`); a name without a translation in any of them comes in its default language',
  schema: { type: 'string', example: 'fr-CA, fr;q=0.9, en;q=0.5' },
});

/** The request's `Accept-Language` locales, most preferred first; the handler's Swagger entry documents the header. */
export const Locales = createParamDecorator(
  (_: unknown, context: ExecutionContext): string[] => preferredLocales(context.switchToHttp().getRequest().headers['accept-language']),
  [(target, key) => documentOnHandler(documented, target, key)],
);
