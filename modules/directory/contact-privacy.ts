import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import { callerCan, type CrmCaller } from '../core/access/crm-caller';
import type { AuditChange } from '../core/audit/audit-entry.entity';
import { CrmError } from '../core/errors/crm-error';
import type { Contact } from './contact.entity';

/**
 * The do-not-contact rule, the one place it is written: a contact who asked not to be contacted
 * (`doNotContact`) has their email and phone masked for every caller without `contacts.reveal`
 * (managers have it), on the contact endpoints, in their history, and on every lead view (GET,
 * list, board cards), except on a lead whose source displays them (`showDoNotContact` on: "incoming
 * lead information displays for that record"). A masked field is not searchable by that caller: a
 * search by the email or phone does not find the contact or the lead.
 */
export const MASKED_CONTACT_FIELDS = ['email', 'phone', 'phoneExtension'] as const;

type MaskedField = (typeof MASKED_CONTACT_FIELDS)[number];
type ContactDetails = Pick<Contact, 'doNotContact' | MaskedField>;

/** Whether the caller sees the contact's email and phone masked; `shownBySource` is the lead's source's `showDoNotContact`. */
export function isMaskedFor(caller: CrmCaller, contact: Pick<Contact, 'doNotContact'>, shownBySource = false): boolean {
  return contact.doNotContact && !shownBySource && !callerCan(caller, 'contacts.reveal');
}

/** The contact's email, phone and extension as the caller may see them. */
export function visibleDetails(caller: CrmCaller, contact: ContactDetails, shownBySource = false): Pick<Contact, MaskedField> & { masked: boolean } {
  const masked = isMaskedFor(caller, contact, shownBySource);
  if (!masked) return { email: contact.email, phone: contact.phone, phoneExtension: contact.phoneExtension, masked };
  return { email: maskEmail(contact.email), phone: maskPhone(contact.phone), phoneExtension: null, masked };
}

/** A contact's history as the caller may see it: the masked fields' values masked in every change. */
export function visibleChanges(caller: CrmCaller, contact: Pick<Contact, 'doNotContact'>, changes: AuditChange[]): AuditChange[] {
  if (!isMaskedFor(caller, contact)) return changes;
  return changes.map((change) => (isMaskedField(change.field) ? { field: change.field, before: maskValue(change.field, change.before), after: maskValue(change.field, change.after) } : change));
}

/**
 * Narrows an email or phone match (`match`) to contacts the caller may search that way: with
 * `contacts.reveal`, any; otherwise those not do-not-contact, or (on a lead) whose source shows them.
 * `contact` and `source` are the query's aliases.
 */
export function searchableBy(caller: CrmCaller, match: string, params: Record<string, unknown>, aliases: { contact: string; source?: string }): Brackets {
  return new Brackets((w: WhereExpressionBuilder) => {
    if (callerCan(caller, 'contacts.reveal')) {
      w.where(match, params);
      return;
    }
    const shown = aliases.source ? ` OR ${aliases.source}.showDoNotContact = :dncShown` : '';
    w.where(match, params).andWhere(`(${aliases.contact}.doNotContact = :dncHidden${shown})`, { dncHidden: false, dncShown: true });
  });
}

/**
 * A caller's edit of a contact, kept from undoing the rule: a masked value sent back as it was shown
 * (a form posting what it read) leaves the stored one alone, and only a caller with `contacts.reveal`
 * may lift `doNotContact` (403), which would show them what is masked.
 */
export function editableChanges<T extends Partial<Pick<Contact, 'doNotContact' | MaskedField>>>(caller: CrmCaller, contact: ContactDetails, changes: T): T {
  if (!isMaskedFor(caller, contact)) return changes;
  if (changes.doNotContact === false) {
    throw new CrmError('FORBIDDEN', 'Lifting doNotContact needs the contacts.reveal permission', { permission: 'contacts.reveal', field: 'doNotContact' });
  }
  const shown = visibleDetails(caller, contact);
  const kept = { ...changes };
  for (const field of MASKED_CONTACT_FIELDS) if (kept[field] !== undefined && kept[field] === shown[field]) delete kept[field];
  return kept;
}

/** `jane@acme.example` → `j***@acme.example`. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** `+1 555 010 9999` → `***99`. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return `***${phone.replace(/\D/g, '').slice(-2)}`;
}

function isMaskedField(field: string): field is MaskedField {
  return (MASKED_CONTACT_FIELDS as readonly string[]).includes(field);
}

function maskValue(field: MaskedField, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (field === 'email') return maskEmail(value);
  if (field === 'phone') return maskPhone(value);
  return '***';
}
