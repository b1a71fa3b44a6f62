import type { OdooDomain } from './odoo-client';

/** A position in an Odoo model, in the sync's `write_date, id` order. */
export interface CursorPosition {
  writeDate: string;
  lastId: number;
}

/**
 * Records after a position: a later `write_date`, or the same one and a higher id. Odoo's
 * `write_date` has one-second resolution, so many records tie on it; the id breaks the tie.
 */
export function afterDomain(position: CursorPosition | null): OdooDomain {
  if (!position) return [];
  const { writeDate, lastId } = position;
  return ['|', ['write_date', '>', writeDate], '&', ['write_date', '=', writeDate], ['id', '>', lastId]];
}

export function isAfter(a: CursorPosition, b: CursorPosition): boolean {
  return a.writeDate > b.writeDate || (a.writeDate === b.writeDate && a.lastId > b.lastId);
}

/** The position `seconds` earlier (negative) or later, at the start of that second. */
export function shiftedBy(position: CursorPosition, seconds: number): CursorPosition {
  const shifted = new Date(Date.parse(`${position.writeDate.replace(' ', 'T')}Z`) + seconds * 1000);
  return { writeDate: shifted.toISOString().slice(0, 19).replace('T', ' '), lastId: 0 };
}
