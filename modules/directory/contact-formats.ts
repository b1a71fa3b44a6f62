/**
 * Contact details in the forms other systems send them, taken apart instead of refused. Odoo keeps
 * a lead's `email_from` as a mailbox (`"Jane Doe" <jane@acme.example>`: odoo/tools/mail.py
 * `email_split_and_format`, `formataddr`) and a phone as typed, extension included
 * ("+7 495 123-45-67 доб. 12", "+1 555 010 9999 ext. 12").
 */

/** A mailbox's address and display name; `null` when the text holds no address. */
export function parseMailbox(text: string): { email: string; name: string | null } | null {
  const bracketed = /<\s*([^<>\s@]+@[^<>\s@]+)\s*>/.exec(text);
  if (bracketed) {
    const name = text.slice(0, bracketed.index).trim().replace(/^["']|["']$/g, '').trim();
    return { email: bracketed[1], name: name || null };
  }
  // A bare address, or the first of a list ("a@x.example, b@y.example"), or "a@x.example (Jane Doe)".
  const bare = /[^\s,;<>"'()]+@[^\s,;<>"'()]+/.exec(text);
  if (!bare) return null;
  const comment = /\(([^()]+)\)/.exec(text.slice(bare.index + bare[0].length));
  return { email: bare[0], name: comment ? comment[1].trim() || null : null };
}

/** Words that introduce an extension after a phone number, in the languages the distributor's clients write. */
const EXTENSION = /^(.*\d[\d\s().-]*?)[\s,;]*(?:ext\.?|extension|x|#|доб\.?|добавочный|вн\.?|внутр\.?|poste|durchwahl|dw\.?)\s*:?\s*(\d{1,10})\s*$/iu;

/** A phone and its extension, when the text ends with one (`"+1 555 010 9999 ext. 12"` → `+1 555 010 9999`, `12`). */
export function splitPhoneExtension(text: string): { phone: string; extension: string | null } {
  const match = EXTENSION.exec(text.trim());
  if (!match) return { phone: text.trim(), extension: null };
  return { phone: match[1].trim(), extension: match[2] };
}
