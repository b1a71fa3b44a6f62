/** A decimal(14,2) amount as sent and returned by the API: up to 12 digits, then up to 2 decimals. */
export const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

/**
 * SQL summing a decimal(14,2) column (or expression) exactly, in cents: SQLite would add the
 * values as floats, integers it adds exactly. Read the result with `rawCents`.
 */
export function sumCentsSql(expression: string): string {
  return `SUM(ROUND((${expression}) * 100))`;
}

/** A cents sum as either driver returns it (`12345`, or `"12345"` as MySQL returns DECIMAL); no sum at all is 0. */
export function rawCents(raw: string | number | null | undefined): bigint {
  return raw === null || raw === undefined ? 0n : BigInt(String(raw).split('.')[0]);
}

/** `12345n` cents → `"123.45"`. */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** A cents sum straight from SQL → `"123.45"`. */
export function centsToAmount(raw: string | number | null | undefined): string {
  return formatCents(rawCents(raw));
}
