/** Records created while an import page was written, in creation order, kept for the page's own audit entry. */
export class CreatedRecords {
  private readonly entries: { entityType: string; id: number }[] = [];

  get size(): number {
    return this.entries.length;
  }

  add(entityType: string, ids: readonly (string | number)[]): void {
    for (const id of ids) this.entries.push({ entityType, id: Number(id) });
  }

  addAll(other: CreatedRecords): void {
    this.entries.push(...other.entries);
  }

  /** Forgets what was added after the first `size` records (a savepoint rolled back). */
  truncate(size: number): void {
    this.entries.length = Math.min(this.entries.length, size);
  }

  /** The ids created, by entity type, ascending. */
  byType(): Map<string, number[]> {
    const byType = new Map<string, number[]>();
    for (const { entityType, id } of this.entries) {
      const ids = byType.get(entityType) ?? [];
      ids.push(id);
      byType.set(entityType, ids);
    }
    for (const ids of byType.values()) ids.sort((a, b) => a - b);
    return byType;
  }
}
