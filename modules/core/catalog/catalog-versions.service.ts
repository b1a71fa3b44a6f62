import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CatalogVersion, type CatalogName } from './catalog-version.entity';

/** The version read outside transactions now on its way, and the one the callers who came since wait for. */
interface SharedReads {
  inFlight: Promise<number | null> | null;
  next: Promise<number | null> | null;
}

/**
 * Reads and raises catalogue versions (`crm_catalog_version`). The read is one indexed single-row
 * query, its SQL built once per catalogue: it is what a cached read costs.
 */
@Injectable()
export class CatalogVersions {
  private readonly reads = new Map<CatalogName, [string, unknown[]]>();
  private readonly shared = new Map<CatalogName, SharedReads>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The catalogue's version as `manager` sees it; `null` when its row is missing (then nothing may
   * be cached). Outside a transaction, callers arriving together share one read, never one sent
   * before they arrived: each answer is at least as new as every commit before its call.
   */
  async current(catalog: CatalogName, manager: EntityManager = this.dataSource.manager): Promise<number | null> {
    if (manager.queryRunner) return this.read(catalog, manager);
    let reads = this.shared.get(catalog);
    if (!reads) this.shared.set(catalog, (reads = { inFlight: null, next: null }));
    // A read already sent may have started before this call: wait for the next one.
    if (reads.inFlight) return (reads.next ??= reads.inFlight.then(() => this.send(catalog, reads), () => this.send(catalog, reads)));
    return this.send(catalog, reads);
  }

  /** Raises the version in `manager`'s transaction, so it commits or rolls back with the write it marks. */
  async bump(manager: EntityManager, catalog: CatalogName): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(CatalogVersion)
      .set({ version: () => 'version + 1' })
      .where({ catalog })
      .callListeners(false)
      .updateEntity(false)
      .execute();
  }

  private send(catalog: CatalogName, reads: SharedReads): Promise<number | null> {
    const read = this.read(catalog, this.dataSource.manager);
    reads.inFlight = read;
    reads.next = null;
    const settle = () => {
      if (reads.inFlight === read) reads.inFlight = null;
    };
    read.then(settle, settle);
    return read;
  }

  private async read(catalog: CatalogName, manager: EntityManager): Promise<number | null> {
    const [sql, parameters] = this.readQuery(catalog);
    const rows: { version: number | string }[] = await manager.query(sql, parameters);
    return rows.length ? Number(rows[0].version) : null;
  }

  private readQuery(catalog: CatalogName): [string, unknown[]] {
    let query = this.reads.get(catalog);
    if (!query) {
      query = this.dataSource.createQueryBuilder().select('v.version', 'version').from(CatalogVersion, 'v').where('v.catalog = :catalog', { catalog }).getQueryAndParameters();
      this.reads.set(catalog, query);
    }
    return query;
  }
}
