import type { DataSource } from 'typeorm';
import { CatalogVersions } from '../../modules/core/catalog/catalog-versions.service';
import { CrmTransactions } from '../../modules/core/database/crm-transactions.service';
import { resolveCrmOptions } from '../../modules/core/options/crm-module-options';
import { SourceCatalog } from '../../modules/sources/source-catalog.service';
import { SourceCatalogCache } from '../../modules/sources/source-catalog-cache.service';

/** The source catalogue cache of a bench database, built as the CRM module builds it, with the default options. */
export function sourceCatalogCache(dataSource: DataSource): SourceCatalogCache {
  const options = resolveCrmOptions();
  return new SourceCatalogCache(dataSource, new CatalogVersions(dataSource), new SourceCatalog(options, new CrmTransactions(dataSource, options)));
}
