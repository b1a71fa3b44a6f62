/** Locales of an `Accept-Language` header, most preferred first (`q=0` ones dropped). */
export function preferredLocales(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}

/** The translation for the first locale that has one (exact tag, then its language), else the fallback. */
export function translate(fallback: string, translations: Record<string, string> | null | undefined, locales: string[]): string {
  if (!translations) return fallback;
  const byTag = new Map(Object.entries(translations).map(([tag, text]) => [tag.toLowerCase(), text]));
  for (const locale of locales) {
    const text = byTag.get(locale) ?? byTag.get(locale.split('-')[0]);
    if (text) return text;
  }
  return fallback;
}
