import { applyDecorators } from '@nestjs/common';
import { IsDecimal, ValidateBy, ValidationOptions } from 'class-validator';

/** The largest amount a DECIMAL(14,2) column holds. */
const MAX_INTEGER_DIGITS = 12;

/**
 * An amount of money as an exact decimal string (`"1234.50"`): at most two decimals, never
 * negative, and small enough for DECIMAL(14,2). A JSON number is refused, so no float sneaks in.
 */
export function IsMoney(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    IsDecimal({ decimal_digits: '0,2', force_decimal: false }, { ...options, message: '$property must be a decimal string with at most two decimals, like "1234.50"' }),
    ValidateBy(
      {
        name: 'notNegative',
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || !value.trim().startsWith('-'),
          defaultMessage: (args) => `${args?.property} must not be negative`,
        },
      },
      options,
    ),
    ValidateBy(
      {
        name: 'maxAmount',
        validator: {
          validate: (value: unknown) => typeof value !== 'string' || value.replace(/^[+-]/, '').split('.')[0].replace(/^0+(?=\d)/, '').length <= MAX_INTEGER_DIGITS,
          defaultMessage: (args) => `${args?.property} must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`,
        },
      },
      options,
    ),
  );
}
