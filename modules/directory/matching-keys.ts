/**
 * The normalised keys records are matched on, so "ACME ", "acme" and "https://www.acme.com/about"
 * find the same company and "+1 (555) 010-9999" the same contact, on every database alike.
 */

/** Trimmed and lower-cased; `null` when there is nothing left. */
export function normalizeEmail(s: string | null | undefined): string | null {
  const key = (s ?? '').trim().toLowerCase();
  return key === '' ? null : key;
}

/**
 * Digits only. A leading country code stays as digits: `+44 20 7946 0000` and `0044 20 7946 0000`
 * both give `442079460000` (the `00` international prefix means the same as `+`). `null` without digits.
 */
export function normalizePhone(s: string | null | undefined): string | null {
  const text = (s ?? '').trim();
  const digits = text.replace(/\D/g, '');
  if (digits === '') return null;
  return text.startsWith('00') ? digits.slice(2) || null : digits;
}

const HOSTNAME = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;

/**
 * The bare domain of a website: scheme, user info, `www.`, port, path, query, fragment, a trailing
 * dot and case ignored (`https://www.Acme.com:443/about?x=1` → `acme.com`). `null` when the text
 * holds no plausible host name, so it also serves as the website validation.
 */
export function normalizeDomain(url: string | null | undefined): string | null {
  let host = (url ?? '').trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, '');
  host = host.split(/[/?#]/)[0];
  host = host.slice(host.lastIndexOf('@') + 1);
  host = host.replace(/:\d*$/, '').replace(/\.$/, '').replace(/^www\./, '');
  return HOSTNAME.test(host) && host.length <= 253 ? host : null;
}

/** Trimmed, inner runs of white space collapsed to one space, lower-cased. */
export function normalizeCompanyName(s: string | null | undefined): string {
  return (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A taxpayer identification number: exactly 9, 10 or 12 digits. */
export const TIN_PATTERN = /^(\d{9}|\d{10}|\d{12})$/;

export function isValidTin(s: string | null | undefined): boolean {
  return typeof s === 'string' && TIN_PATTERN.test(s);
}
