import { normalizeEmail, normalizePhone } from '../directory/matching-keys';

/** The longest token kept (the column's length); a longer word is kept by its first 64 characters, so its prefixes still match. */
export const SEARCH_TOKEN_LENGTH = 64;

/** What a lead is found by: its own names, its company's, and its contact's name, email and phone. */
export interface LeadSearchText {
  name: string | null;
  leadCompanyName: string | null;
  companyName: string | null;
  contact: {
    firstName: string | null;
    middleName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    doNotContact: boolean;
  } | null;
}

/**
 * One searchable word of a lead. `hidden`: it comes only from a do-not-contact contact's email or
 * phone, which a caller without `contacts.reveal` may not search by (contact-privacy.ts).
 */
export interface LeadSearchToken {
  token: string;
  hidden: boolean;
}

/**
 * Case- and accent-insensitive form of a text: compatibility-decomposed, combining marks dropped,
 * lower-cased (`Ärger` → `arger`, `ﬁle` → `file`), the same for what is stored and what is searched.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a text: runs of letters and digits, folded. */
export function searchWords(text: string | null | undefined): string[] {
  if (!text) return [];
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map(clip);
}

/**
 * A lead's tokens, each once: the words of the title, typed company name, company name and contact
 * name; the contact's email whole (lower-cased, as `emailKey`) and by its words; the phone's digits
 * from each digit group on (`+44 20 7946 0000` → `442079460000`, `2079460000`, `79460000`, `0000`)
 * and its last 10 and 7 digits, so a number is found however much of its front was typed. A token
 * that also comes from a name is never hidden.
 */
export function leadSearchTokens(text: LeadSearchText): LeadSearchToken[] {
  const visible = new Set<string>([
    ...searchWords(text.name),
    ...searchWords(text.leadCompanyName),
    ...searchWords(text.companyName),
    ...searchWords(text.contact?.firstName),
    ...searchWords(text.contact?.middleName),
    ...searchWords(text.contact?.lastName),
  ]);
  const details = new Set<string>([...emailTokens(text.contact?.email), ...phoneTokens(text.contact?.phone)]);
  const hideDetails = text.contact?.doNotContact ?? false;
  const tokens: LeadSearchToken[] = [...visible].map((token) => ({ token, hidden: false }));
  for (const token of details) if (!visible.has(token)) tokens.push({ token, hidden: hideDetails });
  return tokens;
}

/**
 * What a search text asks for: alternatives (any may match), each a list of token prefixes that must all
 * match. A text with `@` in a word searches that word as the start of an email; a text of digits and
 * phone punctuation alone (`+44 20 7946`, `010-2000`) searches the digits as the start of a phone number,
 * or its digit groups as words; anything else, its words. Empty when nothing searchable is left (`_`).
 */
export function searchAlternatives(q: string): string[][] {
  const text = q.trim();
  if (/^[+(]?\d[\d\s().\-/]*$/.test(text) && /\D/.test(text.replace(/^\+/, ''))) {
    const digits = normalizePhone(text);
    const words = searchWords(text);
    return digits ? [[clip(digits)], words] : [words];
  }
  const terms: string[] = [];
  for (const chunk of text.split(/\s+/)) {
    if (chunk.includes('@')) terms.push(clip(normalizeEmail(chunk) ?? ''));
    else terms.push(...searchWords(chunk));
  }
  const kept = [...new Set(terms.filter((term) => term !== ''))];
  return kept.length ? [kept] : [];
}

function emailTokens(email: string | null | undefined): string[] {
  const key = normalizeEmail(email);
  return key ? [clip(key), ...searchWords(key)] : [];
}

function phoneTokens(phone: string | null | undefined): string[] {
  const digits = normalizePhone(phone);
  if (!digits) return [];
  const tokens = new Set<string>([digits]);
  // Where each digit group of the number as written starts in the key (which drops a leading `00`).
  const groups = (phone ?? '').match(/\d+/g) ?? [];
  let start = digits.length - groups.join('').length;
  for (const group of groups) {
    if (start > 0) tokens.add(digits.slice(start));
    start += group.length;
  }
  for (const tail of [10, 7]) if (digits.length > tail) tokens.add(digits.slice(-tail));
  return [...tokens].map(clip);
}

function clip(token: string): string {
  return token.length <= SEARCH_TOKEN_LENGTH ? token : [...token].slice(0, SEARCH_TOKEN_LENGTH).join('');
}
