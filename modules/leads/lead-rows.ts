import type { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { CrmCaller } from '../core/access/crm-caller';
import { Company } from '../directory/company.entity';
import { Contact } from '../directory/contact.entity';
import { Source } from '../sources/source.entity';
import { LeadDto, partyFields, type LeadParties } from './dto/lead.dto';
import { Lead } from './lead.entity';

/** One selected column: its SQL alias, the property it fills and the metadata its raw value is converted by. */
interface Selected {
  alias: string;
  property: string;
  column: ColumnMetadata;
  /** Whether a raw value of this column is already what hydration makes of it (`passesAsRead`). */
  passes: (value: unknown) => boolean;
}

/** Column types no TypeORM driver converts a string of on read. */
const STRING_TYPES = new Set<unknown>(['varchar', 'character varying', 'nvarchar', 'char', 'nchar', 'text', 'tinytext', 'mediumtext', 'longtext', String]);
/** Column types no TypeORM driver converts an integer of on read (`Number` columns are `parseInt`ed, which keeps an integer). */
const INTEGER_TYPES = new Set<unknown>(['int', 'integer', 'smallint', 'mediumint', Number]);

/**
 * Which raw values of `column` hydration would return unchanged: nulls, strings of string columns and integers of
 * integer columns, unless a transformer applies. Why: converting the ~2,000 values of a page one by one through the
 * driver cost as much as building the page's objects; the values that need it (dates, booleans, decimals with a
 * transformer) still go through it.
 */
function passesAsRead(column: ColumnMetadata): (value: unknown) => boolean {
  if (column.transformer) return () => false;
  if (STRING_TYPES.has(column.type)) return (value) => value === null || typeof value === 'string';
  if (INTEGER_TYPES.has(column.type)) return (value) => value === null || Number.isInteger(value);
  return (value) => value === null;
}

type Party = keyof LeadParties;

/** One raw row read: the lead's columns, and its parties' (the contact's id null when it has none). */
type ReadRow = (row: Record<string, unknown>) => { lead: Record<string, unknown> } & Record<Party, Record<string, unknown>>;

/** The columns of a lead's parties that `LeadDto` shows, by join alias (the contact's id tells a lead without one). */
const PARTY_COLUMNS: Record<Party, { entity: EntityTarget<ObjectLiteral>; properties: string[] }> = {
  company: { entity: Company, properties: ['name'] satisfies (keyof Company)[] },
  contact: { entity: Contact, properties: ['id', 'firstName', 'middleName', 'lastName', 'email', 'phone', 'phoneExtension', 'doNotContact'] satisfies (keyof Contact)[] },
  source: { entity: Source, properties: ['showDoNotContact'] satisfies (keyof Source)[] },
};
const PARTIES = Object.keys(PARTY_COLUMNS) as Party[];

/**
 * Lead views of many leads (a list page, board cards) read as raw rows: every lead column and only the
 * columns of its company, contact and source that `LeadDto` shows, each converted once by the driver
 * as TypeORM's hydration converts it. Why: hydrating whole `Lead` entities with their three joined
 * entities (every column of each, the rows grouped per relation) and copying them into DTOs cost
 * several times the page's own query. The DTOs are those `LeadDto.from` makes of the loaded leads, or a view of
 * fewer lead columns (`View`, a board card) when given them.
 *
 * The query must have the lead at alias `l` and its parties joined as `company`, `contact` and
 * `source`, as `LeadFinder` joins them.
 */
export class LeadRows<View = LeadDto> {
  private plan?: { selection: string; read: ReadRow };

  /** `leadColumns`: the lead's own columns to read (default: all of them, as `LeadDto` shows). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly leadColumns?: readonly string[],
  ) {}

  /** `query` made to select the lead view's columns alone, instead of what it selected. */
  select<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    return query.select(this.columns().selection);
  }

  /** The lead views, as `caller` may see them, of the rows a query made by `select` returned. */
  toDtos(rows: Record<string, unknown>[], caller: CrmCaller): View[] {
    const { read } = this.columns();
    return rows.map((row) => {
      const { lead, company, contact, source } = read(row);
      const parties: LeadParties = { company: company as LeadParties['company'], contact: contact.id === null ? null : (contact as LeadParties['contact']), source: source as LeadParties['source'] };
      return Object.assign(lead, partyFields(parties, caller)) as unknown as View;
    });
  }

  /** Built on first use, once the entities' metadata is known. */
  private columns(): NonNullable<LeadRows['plan']> {
    if (this.plan) return this.plan;
    const driver = this.dataSource.driver;
    const selected = (alias: string, entity: EntityTarget<ObjectLiteral>, properties?: string[]): Selected[] => {
      const metadata = this.dataSource.getMetadata(entity);
      const columns = properties ? properties.map((p) => metadata.findColumnWithPropertyName(p)!) : metadata.columns.filter((c) => !c.isVirtual);
      return columns.map((column) => ({ alias: `${alias}_${column.propertyName}`, property: column.propertyName, column, passes: passesAsRead(column) }));
    };
    const groups: [string, Selected[]][] = [['l', selected('l', Lead, this.leadColumns && [...this.leadColumns])], ...PARTIES.map((party): [string, Selected[]] => [party, selected(party, PARTY_COLUMNS[party].entity, PARTY_COLUMNS[party].properties)])];
    const all = groups.flatMap(([table, columns]) => columns.map((s) => ({ ...s, table })));
    // One expression, escaped once: TypeORM resolving ~50 `alias.property` selections cost more per query than the rest of it.
    const selection = all.map((s) => `${driver.escape(s.table)}.${driver.escape(s.column.databaseName)} AS ${driver.escape(s.alias)}`).join(', ');
    // A plain copy per group (no code generated from strings: a host may run node with
    // --disallow-code-generation-from-strings).
    const read: ReadRow = (row) => {
      const out: Record<string, Record<string, unknown>> = {};
      for (const [table, columns] of groups) {
        const values: Record<string, unknown> = {};
        for (const s of columns) {
          const value = row[s.alias];
          values[s.property] = s.passes(value) ? value : driver.prepareHydratedValue(value, s.column);
        }
        out[table === 'l' ? 'lead' : table] = values;
      }
      return out as ReturnType<ReadRow>;
    };
    this.plan = { selection, read };
    return this.plan;
  }
}
