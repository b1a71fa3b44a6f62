import { ValidateBy, type ValidationOptions } from 'class-validator';

/** `2026-03-31`, or a date and time: `2026-03-31T09:30`, seconds and fractions optional, `Z` or an offset optional. */
const DATE_OR_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?)?$/;

/** Whether `value` is a date (or date and time) of the calendar: 2026-02-29 and 2026-04-31 are not. */
export function isCalendarDate(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE_OR_DATE_TIME.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date or a date and time of the calendar, as filters and date fields take them. Unlike class-validator's
 * `IsDateString`, an impossible day (2026-02-30) is refused instead of rolled over, and only the forms the
 * database compares right are taken (no week dates, ordinal days or years beyond four digits).
 * The rule keeps the name `isDateString`, which callers already see.
 */
export function IsCalendarDate(options?: ValidationOptions & { dateOnly?: boolean }): PropertyDecorator {
  const dateOnly = options?.dateOnly ?? false;
  return ValidateBy(
    {
      name: 'isDateString',
      validator: {
        validate: (value) => isCalendarDate(value) && (!dateOnly || String(value).length === 10),
        defaultMessage: (args) =>
          dateOnly ? `${args?.property} must be a date of the calendar, like 2026-12-31` : `${args?.property} must be a date of the calendar (like 2026-12-31), optionally with a time (2026-12-31T09:30:00Z)`,
      },
    },
    options,
  );
}
