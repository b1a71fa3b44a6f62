import type { ValueTransformer } from 'typeorm';

/**
 * Money as exact decimal strings (`"1234.50"`) in the API and in code. MySQL returns DECIMAL as a
 * string already; SQLite returns a number, which has exactly the digits of DECIMAL(14,2) and is
 * formatted back to two places here, so no float ever reaches a caller.
 */
export const decimalTransformer: ValueTransformer = {
  to: (value: string | null | undefined) => (value === undefined || value === null ? value : String(value)),
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value).toFixed(2)),
};
