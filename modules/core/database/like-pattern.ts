/**
 * A lower-cased `LIKE` pattern matching `text` anywhere. `!` is the escape character (use
 * `LIKE_ESCAPE`): a backslash would need different quoting on MySQL and SQLite.
 */
export function likePattern(text: string): string {
  return `%${text.trim().toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export const LIKE_ESCAPE = "ESCAPE '!'";
