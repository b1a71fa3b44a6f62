import { ValidateBy, ValidationOptions } from 'class-validator';
import { normalizeDomain } from '../matching-keys';

/** A website address or bare domain with a plausible host name (`acme.com`, `https://www.acme.com/about`). */
export function IsWebsite(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWebsite',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalizeDomain(value) !== null,
        defaultMessage: (args) => `${args?.property} must be a website address or domain, like "acme.com" or "https://www.acme.com"`,
      },
    },
    options,
  );
}
