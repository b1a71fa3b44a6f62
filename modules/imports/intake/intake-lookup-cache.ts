import type { ListEntry } from '../../directory/list-entry.entity';
import type { Source } from '../../sources/source.entity';

/**
 * Catalogue lookups remembered across the records of one batch (a CSV chunk), where thousands of
 * rows name the same few sources and list values. Keep one per batch, not longer: the catalogue
 * may change between batches.
 */
export class IntakeLookupCache {
  /** Source by `text|category` (or `#id` / `=code`); `null` for text that matched nothing. */
  readonly sources = new Map<string, Source | null>();
  /** List entry by `kind|lower-cased text`; `null` for text that matched nothing. */
  readonly lists = new Map<string, ListEntry | null>();
}
