import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntitySubscriberInterface, InsertEvent, QueryRunner, RemoveEvent, TransactionRollbackEvent, UpdateEvent } from 'typeorm';
import { CatalogVersions } from '../core/catalog/catalog-versions.service';
import type { Page } from '../core/http/page';
import type { SourceDto } from './dto/source.dto';
import { SourceCatalog } from './source-catalog.service';
import { SourceMatchKey } from './source-match-key.entity';
import { SourceRoutingTeam } from './source-routing-team.entity';
import { Source } from './source.entity';

/** Answers of the picker kept per snapshot (by locales and filters); more distinct ones are computed, not kept. */
const MAX_PAGES = 64;

/**
 * The whole source catalogue at one version, read-only: every source with its match keys and
 * routing teams, in picker order (sequence, name, id, as the database sorts them).
 */
export interface SourceCatalogSnapshot {
  readonly version: number;
  readonly ordered: readonly Source[];
  readonly byId: ReadonlyMap<number, Source>;
  readonly byCode: ReadonlyMap<string, Source>;
  /** Match keys by exact key text. */
  readonly byMatchKey: ReadonlyMap<string, readonly SourceMatchKey[]>;
  /** Picker answers computed from this snapshot, by locales and filters. */
  readonly pages: Map<string, Page<SourceDto>>;
}

/**
 * The source catalogue served from memory, correct across instances: every write to a source, its
 * match keys or its routing teams (any TypeORM insert, update or delete of those entities) raises
 * the `sources` catalogue version in its own transaction, and each read first reads that version
 * (one primary-key row) and reloads the catalogue only when it moved. What a read gets is never
 * older than the last write committed before it started.
 *
 * The objects handed out are shared by every request: read them, never change them.
 */
@Injectable()
export class SourceCatalogCache implements EntitySubscriberInterface {
  private snapshot: SourceCatalogSnapshot | null = null;
  private loading: { version: number; promise: Promise<SourceCatalogSnapshot> } | null = null;
  /** Transactions that wrote to the catalogue and have not ended: what they read is not kept. */
  private readonly writing = new WeakSet<QueryRunner>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly versions: CatalogVersions,
    private readonly catalog: SourceCatalog,
  ) {
    // NestJS's documented way for an injectable subscriber: the host owns the DataSource options.
    dataSource.subscribers.push(this);
  }

  /** The catalogue as `manager` sees it now (pass a transaction's manager to read in it: no second connection is taken). */
  async current(manager: EntityManager = this.dataSource.manager): Promise<SourceCatalogSnapshot> {
    const version = await this.versions.current('sources', manager);
    if (version !== null && this.snapshot?.version === version) return this.snapshot;
    const runner = manager.queryRunner;
    const shared = version !== null && !(runner && this.writing.has(runner));
    if (shared && !runner && this.loading?.version === version) return this.loading.promise;
    const promise = this.load(manager, version ?? 0).then((loaded) => {
      // Kept unless an older read finishes after a newer one (a transaction's snapshot may be older).
      if (shared && (!this.snapshot || this.snapshot.version <= loaded.version)) this.snapshot = loaded;
      return loaded;
    });
    if (shared && !runner) {
      this.loading = { version: version!, promise };
      promise.finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      }).catch(() => undefined);
    }
    return promise;
  }

  /** A picker answer kept with the snapshot, computed once per locales and filters. */
  page(snapshot: SourceCatalogSnapshot, key: string, compute: () => Page<SourceDto>): Page<SourceDto> {
    const kept = snapshot.pages.get(key);
    if (kept) return kept;
    const page = compute();
    if (snapshot.pages.size < MAX_PAGES) snapshot.pages.set(key, page);
    return page;
  }

  afterInsert(event: InsertEvent<unknown>): Promise<void> | void {
    return this.written(event.metadata.target, event.manager);
  }

  afterUpdate(event: UpdateEvent<unknown>): Promise<void> | void {
    return this.written(event.metadata.target, event.manager);
  }

  afterRemove(event: RemoveEvent<unknown>): Promise<void> | void {
    return this.written(event.metadata.target, event.manager);
  }

  afterTransactionCommit(event: { queryRunner: QueryRunner }): void {
    this.writing.delete(event.queryRunner);
  }

  /**
   * A rolled-back catalogue write: its version number will be taken again by the next write. On
   * SQLite other requests of this process may have read it uncommitted (one shared connection), so
   * nothing read meanwhile is kept.
   */
  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!this.writing.has(event.queryRunner)) return;
    this.writing.delete(event.queryRunner);
    this.snapshot = null;
    this.loading = null;
  }

  private async written(target: unknown, manager: EntityManager): Promise<void> {
    if (target !== Source && target !== SourceMatchKey && target !== SourceRoutingTeam) return;
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      // Once per transaction is enough: the version differs from every one read before it.
      if (this.writing.has(runner)) return;
      this.writing.add(runner);
    }
    await this.versions.bump(manager, 'sources');
  }

  private async load(manager: EntityManager, version: number): Promise<SourceCatalogSnapshot> {
    const ordered = await manager.find(Source, { order: { sequence: 'ASC', name: 'ASC', id: 'ASC' } });
    await this.catalog.attachDetails(manager, ordered);
    const byMatchKey = new Map<string, SourceMatchKey[]>();
    for (const source of ordered) {
      for (const key of source.matchKeys ?? []) byMatchKey.set(key.key, [...(byMatchKey.get(key.key) ?? []), key]);
    }
    return {
      version,
      ordered,
      byId: new Map(ordered.map((s) => [s.id, s])),
      byCode: new Map(ordered.map((s) => [s.code, s])),
      byMatchKey,
      pages: new Map(),
    };
  }
}
