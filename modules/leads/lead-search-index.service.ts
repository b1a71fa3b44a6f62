import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Brackets, DataSource, EntityManager, In, type ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { callerCan, type CrmCaller } from '../core/access/crm-caller';
import { insertMany } from '../core/database/insert-without-reload';
import { withDriverParameters } from '../core/database/named-parameters';
import { escapedTablePath } from '../core/database/table-path';
import { RecordChanges } from '../core/records/record-changes.service';
import { COMPANY_AUDIT_TYPE } from '../directory/companies.service';
import { CONTACT_AUDIT_TYPE } from '../directory/contacts.service';
import type { SourceCatalogSnapshot } from '../sources/source-catalog-cache.service';
import { LeadSearchToken } from './lead-search-token.entity';
import { type LeadSearchText, leadSearchTokens, searchAlternatives } from './lead-search-tokens';
import { Lead } from './lead.entity';

/** The contact's columns a lead is found by, read raw as `contact_<field>`. */
const CONTACT_TEXT = ['firstName', 'middleName', 'lastName', 'email', 'phone'] as const;

/** One lead's searchable columns as `tokensOf` reads them. */
interface LeadTextRow extends Record<string, unknown> {
  id: number | string;
  name: string | null;
  leadCompanyName: string | null;
  companyName: string | null;
  contactId: number | string | null;
}

/** Leads re-indexed per statement when a company or contact they show changed. */
const REINDEX_BATCH = 1_000;
/**
 * How far a term's matches are counted to tell the rarest term of a search: first up to 2,000; terms that all
 * reach it are counted again ten times further, up to 200,000 (past that a term is just "common").
 */
const RARITY_CAPS = [2_000, 20_000, 200_000];
/**
 * A search matching at most this many leads is resolved to their ids once, so the page and its count read
 * those leads by primary key instead of each matching the tokens again; a broader one is matched in each query.
 */
const RESOLVED_IDS = 1_000;
/**
 * Rarity counts are remembered per set of terms for a minute (up to 1,000 sets): they only choose which term drives
 * a search, never what it finds, so a count a minute old still plans well and a search typed again skips a query.
 */
const RARITY_MEMO = { max: 1_000, ttl: 60_000 } as const;

/** How a search is answered: its alternatives, each with its terms rarest first, and who may match hidden tokens. */
export interface LeadSearchPlan {
  alternatives: string[][];
  /** Every token may match (`contacts.reveal`); otherwise hidden ones only on leads of `shownSourceIds`. */
  revealAll: boolean;
  /** The sources showing do-not-contact details on their leads (`showDoNotContact`). */
  shownSourceIds: number[];
  /** Every matching lead's id, when there are at most `RESOLVED_IDS` of them. */
  leadIds?: number[];
}

/**
 * The lead search, both ways: keeps `crm_lead_search_token` in step with each lead, its company and its
 * contact (in the writer's transaction), and turns `q` into conditions a prefix range on that table's
 * index answers, so a search costs the same at a million leads as at a thousand.
 */
@Injectable()
export class LeadSearchIndex implements OnModuleInit {
  /** `RESOLVED_IDS`; a suite lowers it to take the other path with a handful of leads. */
  maxResolvedIds = RESOLVED_IDS;
  private readonly rarityMemo = new LRUCache<string, Map<string, number>>(RARITY_MEMO);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: RecordChanges,
  ) {}

  onModuleInit(): void {
    this.changes.on(COMPANY_AUDIT_TYPE, (manager, ids) => this.reindexWhere(manager, 'companyId', ids));
    this.changes.on(CONTACT_AUDIT_TYPE, (manager, ids) => this.reindexWhere(manager, 'contactId', ids));
  }

  /** Writes the tokens of leads just inserted (they have none yet). */
  async indexNew(manager: EntityManager, leadIds: number[]): Promise<void> {
    if (leadIds.length === 0) return;
    await insertMany(manager, LeadSearchToken, await this.tokensOf(manager, leadIds));
  }

  /** Replaces the tokens of leads whose names, company or contact changed. */
  async reindex(manager: EntityManager, leadIds: number[]): Promise<void> {
    if (leadIds.length === 0) return;
    await manager.delete(LeadSearchToken, { leadId: In(leadIds) });
    await this.indexNew(manager, leadIds);
  }

  /** What `q` asks for, planned for this caller; `null` when nothing in it is searchable (no lead matches). */
  async plan(caller: CrmCaller, q: string, catalog: SourceCatalogSnapshot): Promise<LeadSearchPlan | null> {
    const alternatives = searchAlternatives(q).filter((terms) => terms.length > 0);
    if (alternatives.length === 0) return null;
    const revealAll = callerCan(caller, 'contacts.reveal');
    const shownSourceIds = revealAll ? [] : catalog.ordered.filter((s) => s.showDoNotContact).map((s) => s.id);
    const terms = [...new Set(alternatives.flat())];
    const rarity = terms.length > 1 ? await this.rarity(terms) : new Map<string, number>();
    // The rarest term drives each alternative (its matches are read off the index); the others are checked per candidate.
    const sorted = alternatives.map((alternative) => [...alternative].sort((a, b) => (rarity.get(a) ?? 0) - (rarity.get(b) ?? 0)));
    const plan: LeadSearchPlan = { alternatives: sorted, revealAll, shownSourceIds };
    const ids = await this.matchingIds(plan);
    return ids.length <= this.maxResolvedIds ? { ...plan, leadIds: ids } : plan;
  }

  /** The ids of the leads matching the plan, up to one more than `maxResolvedIds`. */
  private async matchingIds(plan: LeadSearchPlan): Promise<number[]> {
    const qb = this.dataSource.createQueryBuilder();
    const matches = plan.alternatives.map((terms) => this.matching(qb, plan, terms));
    const sql = `SELECT DISTINCT m.${qb.escape('leadId')} AS ${qb.escape('id')} FROM (${matches.join(' UNION ALL ')}) m LIMIT ${this.maxResolvedIds + 1}`;
    const [statement, parameters] = withDriverParameters(this.dataSource.driver, sql, qb.getParameters());
    const rows: { id: number | string }[] = await this.dataSource.query(statement, parameters);
    return rows.map((row) => Number(row.id));
  }

  /**
   * Narrows `qb` (leads as `alias`) to those matching the plan: a lead matches when every term of an alternative
   * starts one of its tokens. A plan resolved to ids reads them by primary key. Otherwise `form` says how:
   * `index` (counts, board) reads the rarest term's index range; `walk` (a page of a broad search) checks each lead
   * the page's sort walks through, by the token table's primary key, so the page stops at its last match instead
   * of sorting every match.
   */
  apply(qb: SelectQueryBuilder<Lead>, alias: string, plan: LeadSearchPlan | null, form: 'index' | 'walk' = 'index'): void {
    if (!plan || plan.leadIds?.length === 0) {
      qb.andWhere('1 = 0');
      return;
    }
    if (plan.leadIds) {
      qb.andWhere(`${alias}.id IN (:...searchLeadIds)`, { searchLeadIds: plan.leadIds });
      return;
    }
    qb.andWhere(
      new Brackets((w) => {
        for (const terms of plan.alternatives) w.orWhere(form === 'walk' ? this.perLead(qb, alias, plan, terms) : `${alias}.id IN (${this.matching(qb, plan, terms)})`);
      }),
    );
  }

  /** The ids of leads matching every term: the first term's index range, each other term checked on the candidate's own tokens. */
  private matching(qb: SelectQueryBuilder<ObjectLiteral>, plan: LeadSearchPlan, terms: string[]): string {
    const table = escapedTablePath(this.dataSource, LeadSearchToken);
    const column = (alias: string, name: string) => `${alias}.${qb.escape(name)}`;
    const viaSource = !plan.revealAll && plan.shownSourceIds.length > 0;
    const visible = this.visibility(qb, plan, `stl.${qb.escape('sourceId')}`);
    const leadTable = escapedTablePath(this.dataSource, Lead);
    const [first, ...rest] = terms;
    const driving = 'st0';
    const checks = rest.map((term, i) => {
      const alias = `st${i + 1}`;
      return `EXISTS (SELECT 1 FROM ${table} ${alias} WHERE ${column(alias, 'leadId')} = ${column(driving, 'leadId')} AND ${this.prefix(qb, column(alias, 'token'), term)}${visible(alias)})`;
    });
    const join = viaSource ? ` INNER JOIN ${leadTable} stl ON stl.${qb.escape('id')} = ${column(driving, 'leadId')}` : '';
    const where = [`${this.prefix(qb, column(driving, 'token'), first)}${visible(driving)}`, ...checks].join(' AND ');
    return `SELECT ${column(driving, 'leadId')} FROM ${table} ${driving}${join} WHERE ${where}`;
  }

  /**
   * Every term checked on the lead at `alias` by the token table's primary key `(leadId, token)`. Each check is a
   * scalar subquery compared with NULL, not an `EXISTS`: MariaDB and MySQL turn `EXISTS` into a semi-join, which
   * reads every match of the term and sorts them all, the cost the walk is there to avoid.
   */
  private perLead(qb: SelectQueryBuilder<ObjectLiteral>, alias: string, plan: LeadSearchPlan, terms: string[]): string {
    const table = escapedTablePath(this.dataSource, LeadSearchToken);
    const column = (tokens: string, name: string) => `${tokens}.${qb.escape(name)}`;
    const visible = this.visibility(qb, plan, `${alias}.${qb.escape('sourceId')}`);
    // Each check is its own scope, so they all name their tokens alike.
    const tokens = 'sw';
    const checks = terms.map(
      (term) => `(SELECT 1 FROM ${table} ${tokens} WHERE ${column(tokens, 'leadId')} = ${alias}.${qb.escape('id')} AND ${this.prefix(qb, column(tokens, 'token'), term)}${visible(tokens)} LIMIT 1) IS NOT NULL`,
    );
    return `(${checks.join(' AND ')})`;
  }

  /**
   * The condition that a token (at the alias given) may match for this plan: any token with `contacts.reveal`, else a
   * visible one, or a hidden one on a lead whose source (`sourceOf`) shows do-not-contact details.
   */
  private visibility(qb: SelectQueryBuilder<ObjectLiteral>, plan: LeadSearchPlan, sourceOf: string): (tokens: string) => string {
    if (plan.revealAll) return () => '';
    // Set once: every check of the query shares them.
    const hiddenParam = nextParameter(qb);
    qb.setParameter(hiddenParam, false);
    const sourcesParam = nextParameter(qb);
    const viaSource = plan.shownSourceIds.length > 0;
    if (viaSource) qb.setParameter(sourcesParam, plan.shownSourceIds);
    const shown = viaSource ? ` OR ${sourceOf} IN (:...${sourcesParam})` : '';
    return (tokens) => ` AND (${tokens}.${qb.escape('hidden')} = :${hiddenParam}${shown})`;
  }

  /**
   * `token` starts with `term`, as the database reads it off the token index: a prefix `LIKE` on
   * MySQL/MariaDB (binary collation) and PostgreSQL (`varchar_pattern_ops`), a range on SQLite, whose
   * `LIKE` is case-insensitive and would skip the index.
   */
  private prefix(qb: SelectQueryBuilder<ObjectLiteral>, token: string, term: string): string {
    const name = nextParameter(qb);
    const type = this.dataSource.options.type;
    if (type === 'better-sqlite3') {
      qb.setParameters({ [`${name}lo`]: term, [`${name}hi`]: successor(term) });
      return `${token} >= :${name}lo AND ${token} < :${name}hi`;
    }
    if (type === 'postgres') {
      qb.setParameter(name, `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return `${token} LIKE :${name}`;
    }
    qb.setParameter(name, `${term.replace(/[!%_]/g, (c) => `!${c}`)}%`);
    return `${token} LIKE :${name} ESCAPE '!'`;
  }

  /**
   * How many tokens start with each term, as far as it takes to tell the rarest: the terms tied at a cap are
   * counted again up to the next one (a tie between two common words would otherwise pick either to drive).
   */
  private async rarity(terms: string[]): Promise<Map<string, number>> {
    const key = [...terms].sort().join(' ');
    const known = this.rarityMemo.get(key);
    if (known) return known;
    const counts = await this.countRarity(terms);
    this.rarityMemo.set(key, counts);
    return counts;
  }

  /** `rarity`, counted. */
  private async countRarity(terms: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let tied = terms;
    for (const cap of RARITY_CAPS) {
      for (const [term, n] of await this.tokenCounts(tied, cap)) counts.set(term, n);
      const least = Math.min(...terms.map((term) => counts.get(term)!));
      if (least < cap) break;
      tied = terms.filter((term) => counts.get(term) === cap);
    }
    return counts;
  }

  /** How many tokens start with each term, each counted up to `cap`, in one round trip. */
  private async tokenCounts(terms: string[], cap: number): Promise<Map<string, number>> {
    const outer = this.dataSource.createQueryBuilder();
    const table = escapedTablePath(this.dataSource, LeadSearchToken);
    const counts = terms.map((term, i) => {
      const condition = this.prefix(outer, `c${i}.${outer.escape('token')}`, term);
      return `(SELECT COUNT(*) FROM (SELECT 1 AS one FROM ${table} c${i} WHERE ${condition} LIMIT ${cap}) k${i}) AS n${i}`;
    });
    const [sql, parameters] = withDriverParameters(this.dataSource.driver, `SELECT ${counts.join(', ')}`, outer.getParameters());
    const [row] = await this.dataSource.query(sql, parameters);
    return new Map(terms.map((term, i) => [term, Number(row[`n${i}`])]));
  }

  private async reindexWhere(manager: EntityManager, column: 'companyId' | 'contactId', ids: number[]): Promise<void> {
    const leads = await manager.find(Lead, { select: { id: true }, where: { [column]: In(ids) } });
    for (let start = 0; start < leads.length; start += REINDEX_BATCH) await this.reindex(manager, leads.slice(start, start + REINDEX_BATCH).map((l) => l.id));
  }

  /** The tokens of these leads, from the columns they are found by (raw rows: on an import's page, hydrating leads with two relations cost more than the query). */
  private async tokensOf(manager: EntityManager, leadIds: number[]): Promise<Partial<LeadSearchToken>[]> {
    const rows: LeadTextRow[] = await manager
      .createQueryBuilder(Lead, 'l')
      .leftJoin('l.company', 'company')
      .leftJoin('l.contact', 'contact')
      .select('l.id', 'id')
      .addSelect('l.name', 'name')
      .addSelect('l.leadCompanyName', 'leadCompanyName')
      .addSelect('company.name', 'companyName')
      .addSelect('contact.id', 'contactId')
      .addSelect([...CONTACT_TEXT, 'doNotContact'].map((field) => `contact.${field}`))
      // An array parameter, bound: TypeORM writes In()'s numbers into SQLite's SQL text, which made every page a statement SQLite prepared anew.
      .where('l.id IN (:...leadIds)', { leadIds })
      .getRawMany();
    return rows.flatMap((row) => {
      // A literal, not a spread of fromEntries: on Node 20 that gave every row's contact a hidden class of its own (see LeadWriter.insertDrafts).
      const contact: LeadSearchText['contact'] =
        row.contactId === null
          ? null
          : {
              firstName: row.contact_firstName as string | null,
              middleName: row.contact_middleName as string | null,
              lastName: row.contact_lastName as string | null,
              email: row.contact_email as string | null,
              phone: row.contact_phone as string | null,
              doNotContact: row.contact_doNotContact === true || Number(row.contact_doNotContact) === 1,
            };
      const text = { name: row.name, leadCompanyName: row.leadCompanyName, companyName: row.companyName, contact };
      return leadSearchTokens(text).map((token) => ({ leadId: Number(row.id), token: token.token, hidden: token.hidden }));
    });
  }
}

/** A parameter name not yet taken in `qb` (the search adds several per term). */
function nextParameter(qb: SelectQueryBuilder<ObjectLiteral>): string {
  return `st${Object.keys(qb.getParameters()).length}`;
}

/** The least string greater than every string starting with `term`: its last character's code point plus one. */
function successor(term: string): string {
  const chars = [...term];
  const last = chars.pop()!.codePointAt(0)! + 1;
  return chars.join('') + String.fromCodePoint(last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
}
