import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a kind of change says besides the ids (a moved record's from and to, say); each kind documents its own. */
export type RecordChangeDetail = Readonly<Record<string, number | string | null>>;

/** What a module does, inside the writer's transaction, when records of a kind it depends on changed. */
export type RecordChangeListener = (manager: EntityManager, ids: number[], detail: RecordChangeDetail) => Promise<void>;

/**
 * Changes of one module's records that another module keeps something in step with, without the
 * first depending on the second: the directory announces a renamed company or an edited contact,
 * the leads module re-indexes the leads that show it. Listeners run in the writer's transaction, so
 * what they keep commits or rolls back with the change.
 */
@Injectable()
export class RecordChanges {
  private readonly listeners = new Map<string, RecordChangeListener[]>();

  on(kind: string, listener: RecordChangeListener): void {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener]);
  }

  async changed(manager: EntityManager, kind: string, ids: number[], detail: RecordChangeDetail = {}): Promise<void> {
    if (ids.length === 0) return;
    for (const listener of this.listeners.get(kind) ?? []) await listener(manager, ids, detail);
  }
}
