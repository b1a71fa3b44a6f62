import { Injectable } from '@nestjs/common';
import { EntityManager, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { RecordChanges } from '../records/record-changes.service';

/** The `RecordChanges` kind announced when `reassign` moved the references to a `target` record: the from and to ids. */
export function referencesMoved(target: string): string {
  return `${target}:references-moved`;
}

/** A column of some module's entity that points at a record of the catalogue (a source, a list entry, ...). */
export interface ReferenceColumn<T extends ObjectLiteral = ObjectLiteral> {
  /** Plural label used in messages and merge reports, e.g. `leads`. */
  label: string;
  entity: EntityTarget<T>;
  /** The property holding the referenced id. */
  property: keyof T & string;
}

/**
 * The one place that knows which records point at which catalogue records. Each feature module
 * registers its reference columns when it starts; delete and merge ask here, so they stay correct
 * as modules are added.
 */
@Injectable()
export class ReferenceRegistry {
  private readonly columns = new Map<string, ReferenceColumn[]>();

  constructor(private readonly changes: RecordChanges) {}

  register<T extends ObjectLiteral>(target: string, column: ReferenceColumn<T>): void {
    const list = this.columns.get(target) ?? [];
    if (list.some((c) => c.label === column.label && c.property === column.property)) return;
    list.push(column as ReferenceColumn);
    this.columns.set(target, list);
  }

  /** For each id, how many records of each label reference it (labels with no reference are left out). */
  async count(manager: EntityManager, target: string, ids: number[]): Promise<Map<number, Record<string, number>>> {
    const result = new Map<number, Record<string, number>>(ids.map((id) => [id, {}]));
    if (ids.length === 0) return result;
    for (const column of this.columns.get(target) ?? []) {
      const rows: { refId: number | string; n: number | string }[] = await manager
        .createQueryBuilder(column.entity, 'r')
        .select(`r.${column.property}`, 'refId')
        .addSelect('COUNT(*)', 'n')
        .where({ [column.property]: In(ids) })
        .groupBy(`r.${column.property}`)
        .getRawMany();
      for (const row of rows) {
        const counts = result.get(Number(row.refId));
        if (counts) counts[column.label] = (counts[column.label] ?? 0) + Number(row.n);
      }
    }
    return result;
  }

  /**
   * How many records of each registered label reference `id`, every label present (0 when none):
   * the shape `reassign` answers, so a merge's dry run and the merge itself look alike.
   */
  async countEvery(manager: EntityManager, target: string, id: number): Promise<Record<string, number>> {
    const counts = (await this.count(manager, target, [id])).get(id) ?? {};
    return Object.fromEntries(this.labels(target).map((label) => [label, counts[label] ?? 0]));
  }

  /** Points every reference to `fromId` at `toId`; answers how many records moved, per label (0 included). */
  async reassign(manager: EntityManager, target: string, fromId: number, toId: number): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const column of this.columns.get(target) ?? []) {
      const result = await manager
        .createQueryBuilder()
        .update(column.entity)
        .set({ [column.property]: toId } as never)
        .where({ [column.property]: fromId })
        .execute();
      moved[column.label] = (moved[column.label] ?? 0) + (result.affected ?? 0);
    }
    await this.changes.changed(manager, referencesMoved(target), [fromId, toId]);
    return moved;
  }

  /** The labels registered for a target, each once, in registration order. */
  private labels(target: string): string[] {
    return [...new Set((this.columns.get(target) ?? []).map((column) => column.label))];
  }
}

/** Total of a per-label count map. */
export function totalReferences(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
