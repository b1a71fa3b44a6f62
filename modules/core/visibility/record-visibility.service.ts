import { Injectable } from '@nestjs/common';
import { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../access/crm-caller';
import { CrmError } from '../errors/crm-error';

/** The kinds the CRM's own modules register (and routes declare with `ScopedRecords`); a host's module may add its own. */
export type CrmRecordKind = 'lead' | 'customer' | 'opportunity' | 'company' | 'contact' | 'person' | 'team' | 'source' | 'list-entry';
type Kind = CrmRecordKind | (string & {});

/** The parameter a visibility condition compares partner fields with: the caller's partner company id. */
export const VISIBLE_PARTNER = ':visiblePartner';
/** The parameter holding the caller's user id (directory rules: oneself, one's teams). */
export const VISIBLE_CALLER = ':visibleCaller';

/**
 * How a kind of record is seen by a partner-scoped caller (one with a `partnerCompanyId`). Either
 * `shared` (a catalogue every caller reads, holding nothing of any partner), or a `condition`: the SQL
 * that holds on the record at `alias` when it belongs to the partner bound to `VISIBLE_PARTNER`.
 */
export type VisibilityRule<T extends ObjectLiteral = ObjectLiteral> = {
  /** The record's name in a 404, as its loader words it ("Lead 12 was not found"). */
  label: string;
  entity: EntityTarget<T>;
} & ({ shared: true } | { shared?: false; condition: (alias: string, scope: VisibilityScope) => string });

/**
 * What a rule builds its condition with: the parameters, and EXISTS subqueries over other tables
 * (plain, or only over the records of a registered kind that the same caller may see), each with an
 * alias of its own so rules nest.
 */
export interface VisibilityScope {
  readonly partner: typeof VISIBLE_PARTNER;
  readonly caller: typeof VISIBLE_CALLER;
  /** `EXISTS` over `entity` rows matching `where(alias)`. */
  exists(entity: EntityTarget<ObjectLiteral>, where: (alias: string) => string): string;
  /** `EXISTS` over the records of `kind` the caller may see that match `where(alias)`. */
  existsVisible(kind: Kind, where: (alias: string) => string): string;
}

/**
 * The one record-visibility rule of the CRM. Each feature module registers how a partner sees its
 * records (like the reference registry); every list, board, report, read, write and reference check
 * asks here, as SQL (a WHERE or EXISTS the database answers with its indexes), never by loading
 * records and filtering them. A caller without a partner company sees everything. A record a caller
 * may not see is answered exactly as a missing one: a 404 on its own route, and on a field that points
 * at it the error a missing id gets; so an id never tells whether it exists.
 */
@Injectable()
export class RecordVisibility {
  private readonly rules = new Map<Kind, VisibilityRule>();

  register<T extends ObjectLiteral>(kind: Kind, rule: VisibilityRule<T>): void {
    this.rules.set(kind, rule as unknown as VisibilityRule);
  }

  /** The registered kinds, for the route walk. */
  kinds(): Kind[] {
    return [...this.rules.keys()];
  }

  /** Narrows `qb` to the records of `kind` (at `alias`, the query's own by default) that `caller` may see. */
  scope<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, caller: CrmCaller, kind: Kind, alias = qb.alias): SelectQueryBuilder<T> {
    if (caller.partnerCompanyId === null) return qb;
    const rule = this.rule(kind);
    if (rule.shared) return qb;
    return qb.andWhere(`(${rule.condition(alias, this.scopeFor(qb.connection.manager))})`, this.parameters(caller));
  }

  /** Whether `caller` may see the record of `kind` with this id (false when there is none). */
  async isVisible(manager: EntityManager, caller: CrmCaller, kind: Kind, id: number | string): Promise<boolean> {
    const rule = this.rule(kind);
    const qb = manager.createQueryBuilder(rule.entity, 'visible').select('1', 'found').where('visible.id = :visibleId', { visibleId: id });
    return (await this.scope(qb, caller, kind).limit(1).getRawOne()) !== undefined;
  }

  /** A 404 (as for a missing record) unless `caller` may see it; costs nothing for a caller without a partner. */
  async requireVisible(manager: EntityManager, caller: CrmCaller, kind: Kind, id: number | string): Promise<void> {
    if (!this.restricts(caller, kind)) return;
    if (!(await this.isVisible(manager, caller, kind, id))) throw CrmError.notFound(this.rule(kind).label, id);
  }

  /** `record`, loaded by `id`, when there is one and `caller` may see it; a 404 (the same for both) otherwise. */
  async visibleOrFail<T>(manager: EntityManager, caller: CrmCaller, kind: Kind, id: number | string, record: T | null | undefined): Promise<T> {
    if (record === null || record === undefined) throw CrmError.notFound(this.rule(kind).label, id);
    await this.requireVisible(manager, caller, kind, id);
    return record;
  }

  /**
   * A field pointing at a record the caller may not see is refused as a missing one is:
   * `missing` is the error the field's own check gives an unknown id.
   */
  async requireReference(manager: EntityManager, caller: CrmCaller, kind: Kind, id: number | string, missing: () => CrmError): Promise<void> {
    if (!this.restricts(caller, kind)) return;
    if (!(await this.isVisible(manager, caller, kind, id))) throw missing();
  }

  /** Whether `kind` hides anything from `caller`. */
  restricts(caller: CrmCaller, kind: Kind): boolean {
    return caller.partnerCompanyId !== null && !this.rule(kind).shared;
  }

  private rule(kind: Kind): VisibilityRule {
    const rule = this.rules.get(kind);
    // A programming error (a module asking about a kind nobody registered), never a caller's.
    if (!rule) throw new Error(`No visibility rule is registered for "${kind}"`);
    return rule;
  }

  private parameters(caller: CrmCaller): Record<string, unknown> {
    return { visiblePartner: caller.partnerCompanyId, visibleCaller: caller.id };
  }

  private scopeFor(manager: EntityManager): VisibilityScope {
    let aliases = 0;
    const exists = (entity: EntityTarget<ObjectLiteral>, where: (alias: string) => string, extra?: (alias: string) => string): string => {
      const alias = `vis${++aliases}`;
      const sub = manager.createQueryBuilder(entity, alias).select('1').where(where(alias));
      if (extra) sub.andWhere(`(${extra(alias)})`);
      return `EXISTS (${sub.getQuery()})`;
    };
    const scope: VisibilityScope = {
      partner: VISIBLE_PARTNER,
      caller: VISIBLE_CALLER,
      exists: (entity, where) => exists(entity, where),
      existsVisible: (kind, where) => {
        const rule = this.rule(kind);
        return rule.shared ? exists(rule.entity, where) : exists(rule.entity, where, (alias) => rule.condition(alias, scope));
      },
    };
    return scope;
  }
}
