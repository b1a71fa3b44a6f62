import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CrmError } from '../../core/errors/crm-error';
import { SourceCatalogCache, type SourceCatalogSnapshot } from '../../sources/source-catalog-cache.service';
import { productCategoryKey } from '../../sources/source-type';
import { Source } from '../../sources/source.entity';
import { IntakeLookupCache } from './intake-lookup-cache';
import type { IntakeRecord } from './intake-record';

/** How the entry point wants the source found. */
export interface SourceHint {
  /** Use the source with this code (a sync that knows its source); 422 when there is none. */
  sourceCode?: string;
  /** The source of a record that names none (e.g. the API key's default source). */
  defaultSourceId?: number;
  /** Also accept a source's name (ignoring case) when no code or match key matches: people type names in spreadsheets. */
  matchSourceNames?: boolean;
}

/**
 * Finds the source of an incoming record: a forced code, else the record's source text matched
 * exactly against source codes and match keys (the product category choosing between sources
 * sharing a key), else the default. Nothing found is a 422: the record is kept, not guessed.
 */
@Injectable()
export class IntakeSourceMatcher {
  constructor(private readonly cache: SourceCatalogCache) {}

  async match(manager: EntityManager, record: IntakeRecord, hint: SourceHint = {}, cache?: IntakeLookupCache): Promise<Source> {
    const text = record.source?.trim();
    const cacheKey = hint.sourceCode ? `=${hint.sourceCode}` : text ? `${text}|${productCategoryKey(record.productCategory)}` : `#${hint.defaultSourceId ?? ''}`;
    const known = cache?.sources.get(cacheKey);
    if (known) return known;
    const source = await this.find(manager, text, record.productCategory, hint);
    cache?.sources.set(cacheKey, source);
    return source;
  }

  private async find(manager: EntityManager, text: string | undefined, productCategory: string | undefined, hint: SourceHint): Promise<Source> {
    const catalogue = await this.cache.current(manager);
    if (hint.sourceCode) {
      const forced = catalogue.byCode.get(hint.sourceCode);
      if (!forced) throw unmatched(`source code "${hint.sourceCode}" is not in the catalogue`, hint.sourceCode);
      return forced;
    }
    if (text) return loaded(catalogue, await this.matchText(manager, catalogue, text, productCategory, hint.matchSourceNames ?? false));
    if (hint.defaultSourceId) return loaded(catalogue, hint.defaultSourceId);
    throw unmatched('the record names no source and no default source applies', null);
  }

  /** Codes and match keys compare exactly, case included, on every database (MySQL's collation would ignore case): the cached catalogue's maps do. */
  private async matchText(manager: EntityManager, catalogue: SourceCatalogSnapshot, text: string, productCategory: string | undefined, byName: boolean): Promise<number> {
    const byCode = catalogue.byCode.get(text);
    if (byCode) return byCode.id;
    const keys = catalogue.byMatchKey.get(text) ?? [];
    if (keys.length === 0 && byName) return this.matchName(manager, text);
    if (keys.length === 0) throw unmatched(`source "${text}" matches no source code or match key`, text);
    const category = productCategoryKey(productCategory);
    const chosen =
      keys.find((k) => k.productCategoryKey === category) ??
      keys.find((k) => k.productCategoryKey === '') ??
      (keys.length === 1 && !category ? keys[0] : undefined);
    if (!chosen) {
      const categories = keys.map((k) => k.productCategoryKey).sort().join(', ');
      throw unmatched(
        category
          ? `source "${text}" has no source for product category "${category}" (known: ${categories})`
          : `source "${text}" is shared by sources of several product categories (${categories}); send productCategory`,
        text,
      );
    }
    return chosen.sourceId;
  }

  private async matchName(manager: EntityManager, text: string): Promise<number> {
    const named = await nameMatch(manager, text);
    if (named.length === 1) return named[0].id;
    throw unmatched(named.length ? `source "${text}" names ${named.length} sources; use a code` : `source "${text}" matches no source code, match key or name`, text);
  }
}

/** The one source with this name, ignoring case; several are as good as none. */
async function nameMatch(manager: EntityManager, text: string): Promise<Source[]> {
  return manager.createQueryBuilder(Source, 's').where('LOWER(s.name) = :name', { name: text.toLowerCase() }).orderBy('s.id', 'ASC').getMany();
}

function loaded(catalogue: SourceCatalogSnapshot, id: number): Source {
  const source = catalogue.byId.get(id);
  if (!source) throw CrmError.notFound('Source', id);
  return source;
}

function unmatched(reason: string, sourceText: string | null): CrmError {
  return new CrmError('UNPROCESSABLE', `No source for this lead: ${reason}`, { field: 'source', source: sourceText });
}
