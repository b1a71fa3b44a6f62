import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { preferredLocales } from './accept-language';

/** The request's `Accept-Language` locales, most preferred first. */
export const Locales = createParamDecorator((_: unknown, context: ExecutionContext): string[] =>
  preferredLocales(context.switchToHttp().getRequest().headers['accept-language']),
);
