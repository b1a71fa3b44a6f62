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
}

type Party = keyof LeadParties;

/** The columns of a lead's parties that `LeadDto` shows, by join alias (the contact's id tells a lead without one). */
const PARTY_COLUMNS: Record<Party, { entity: EntityTarget<ObjectLiteral>; properties: string[] }> = {
  company: { entity: Company, properties: ['name'] },
  contact: { entity: Contact, properties: ['id', 'firstName', 'middleName', 'lastName', 'email', 'phone', 'phoneExtension', 'doNotContact'] },
  source: { entity: Source, properties: ['showDoNotContact'] },
};
const PARTIES = Object.keys(PARTY_COLUMNS) as Party[];

/**
 * Lead views of many leads (a list page, board cards) read as raw rows: every lead column and only the
 * columns of its company, contact and source that `LeadDto` shows, each converted once by the driver
 * as TypeORM's hydration converts it. Why: hydrating whole `Lead` entities with their three joined
 * entities (every column of each, the rows grouped per relation) and copying them into DTOs cost
 * several times the page's own query. The DTOs are those `LeadDto.from` makes of the loaded leads.
 *
 * The query must have the lead at alias `l` and its parties joined as `company`, `contact` and
 * `source`, as `LeadFinder` joins them.
 */
export class LeadRows {
  private plan?: { lead: Selected[]; parties: Record<Party, Selected[]> };

  constructor(private readonly dataSource: DataSource) {}

  /** `query` made to select the lead view's columns alone, instead of what it selected. */
  select<T extends ObjectLiteral>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
    const { lead, parties } = this.columns();
    const all = [...lead.map((s) => ['l', s] as const), ...PARTIES.flatMap((party) => parties[party].map((s) => [party, s] as const))];
    all.forEach(([alias, s], i) => (i === 0 ? query.select(`${alias}.${s.property}`, s.alias) : query.addSelect(`${alias}.${s.property}`, s.alias)));
    return query;
  }

  /** The lead views, as `caller` may see them, of the rows a query made by `select` returned. */
  toDtos(rows: Record<string, unknown>[], caller: CrmCaller): LeadDto[] {
    const { lead, parties } = this.columns();
    const driver = this.dataSource.driver;
    const read = (row: Record<string, unknown>, selected: Selected[], into: Record<string, unknown> = {}) => {
      for (const s of selected) into[s.property] = driver.prepareHydratedValue(row[s.alias], s.column);
      return into;
    };
    return rows.map((row) => {
      const dto = read(row, lead);
      const contact = read(row, parties.contact);
      const shown = partyFields({ company: read(row, parties.company) as LeadParties['company'], contact: contact.id === null ? null : (contact as LeadParties['contact']), source: read(row, parties.source) as LeadParties['source'] }, caller);
      return Object.assign(dto, shown) as unknown as LeadDto;
    });
  }

  /** Built on first use, once the entities' metadata is known. */
  private columns(): NonNullable<LeadRows['plan']> {
    if (this.plan) return this.plan;
    const selected = (alias: string, entity: EntityTarget<ObjectLiteral>, properties?: string[]): Selected[] => {
      const metadata = this.dataSource.getMetadata(entity);
      const columns = properties ? properties.map((p) => metadata.findColumnWithPropertyName(p)!) : metadata.columns.filter((c) => !c.isVirtual);
      return columns.map((column) => ({ alias: `${alias}_${column.propertyName}`, property: column.propertyName, column }));
    };
    const parties = Object.fromEntries(PARTIES.map((party) => [party, selected(party, PARTY_COLUMNS[party].entity, PARTY_COLUMNS[party].properties)])) as Record<Party, Selected[]>;
    this.plan = { lead: selected('l', Lead), parties };
    return this.plan;
  }
}
