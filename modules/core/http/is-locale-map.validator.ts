import { ValidateBy, ValidationOptions } from 'class-validator';

const LOCALE_TAG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** An object mapping locale tags (`fr`, `pt-BR`) to non-empty strings. */
export function IsLocaleMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocaleMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([tag, text]) => LOCALE_TAG.test(tag) && typeof text === 'string' && text.trim() !== '' && text.length <= 120),
        defaultMessage: (args) => `${args?.property} must map locale tags (like "fr" or "pt-BR") to names of at most 120 characters`,
      },
    },
    options,
  );
}
