import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { leadSearchTokens } from '../modules/leads/lead-search-tokens';
import { booleanColumn, foreignKey, intColumn, isMysqlFamily, isPostgres, varcharColumn } from './support/migration-columns';
import { migrationSql } from './support/migration-sql';

const TABLE = 'crm_lead_search_token';
const TOKEN_INDEX = 'IDX_crm_lead_search_token_token';
/** Leads read per batch while filling the table; their tokens are inserted 500 rows at a time. */
const BATCH = 2_000;
const ROWS_PER_INSERT = 500;

/**
 * Word-prefix search for leads (issue 16): the table of the words each lead is found by, filled for the
 * leads already there. The token is compared byte for byte: a binary collation on MySQL/MariaDB (so the
 * primary key and a prefix `LIKE` ignore no difference that folding left), and on PostgreSQL its index
 * uses `varchar_pattern_ops`, the operator class a prefix `LIKE` reads under any database collation.
 * SQLite compares bytes already and is searched with a range.
 */
export class CrmLeadSearchTokens1764600000890 implements MigrationInterface {
  name = 'CrmLeadSearchTokens1764600000890';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = isMysqlFamily(queryRunner) ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [intColumn('leadId', { isPrimary: true }), varcharColumn('token', 64, { isPrimary: true, ...binary }), booleanColumn(queryRunner, 'hidden', false)],
        indices: isPostgres(queryRunner) ? [] : [new TableIndex({ name: TOKEN_INDEX, columnNames: ['token', 'leadId', 'hidden'] })],
        foreignKeys: [foreignKey('FK_crm_lead_search_token_lead', 'leadId', 'crm_lead', 'CASCADE')],
      }),
    );
    if (isPostgres(queryRunner)) await queryRunner.query(`CREATE INDEX "${TOKEN_INDEX}" ON "${TABLE}" ("token" varchar_pattern_ops, "leadId", "hidden")`);
    await fill(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }
}

interface LeadTextRow {
  id: number | string;
  name: string | null;
  leadCompanyName: string | null;
  companyName: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  doNotContact: boolean | number | string | null;
  contactId: number | string | null;
}

/** Every lead's tokens, a batch of leads at a time in id order. */
async function fill(queryRunner: QueryRunner): Promise<void> {
  const sql = migrationSql(queryRunner);
  const n = sql.name;
  let after = 0;
  for (;;) {
    const rows: LeadTextRow[] = await sql.query(
      `SELECT l.${n('id')} AS ${n('id')}, l.${n('name')} AS ${n('name')}, l.${n('leadCompanyName')} AS ${n('leadCompanyName')}, co.${n('name')} AS ${n('companyName')},
        ct.${n('id')} AS ${n('contactId')}, ct.${n('firstName')} AS ${n('firstName')}, ct.${n('middleName')} AS ${n('middleName')}, ct.${n('lastName')} AS ${n('lastName')},
        ct.${n('email')} AS ${n('email')}, ct.${n('phone')} AS ${n('phone')}, ct.${n('doNotContact')} AS ${n('doNotContact')}
       FROM ${n('crm_lead')} l
       LEFT JOIN ${n('crm_company')} co ON co.${n('id')} = l.${n('companyId')}
       LEFT JOIN ${n('crm_contact')} ct ON ct.${n('id')} = l.${n('contactId')}
       WHERE l.${n('id')} > :after ORDER BY l.${n('id')} LIMIT ${BATCH}`,
      { after },
    );
    if (rows.length === 0) return;
    const tokens = rows.flatMap((row) =>
      leadSearchTokens({
        name: row.name,
        leadCompanyName: row.leadCompanyName,
        companyName: row.companyName,
        contact:
          row.contactId === null
            ? null
            : { firstName: row.firstName, middleName: row.middleName, lastName: row.lastName, email: row.email, phone: row.phone, doNotContact: Boolean(Number(row.doNotContact) || row.doNotContact === true) },
      }).map((token) => ({ leadId: Number(row.id), ...token })),
    );
    for (let start = 0; start < tokens.length; start += ROWS_PER_INSERT) {
      const chunk = tokens.slice(start, start + ROWS_PER_INSERT);
      const parameters: Record<string, unknown> = {};
      const values = chunk.map((token, i) => {
        Object.assign(parameters, { [`l${i}`]: token.leadId, [`t${i}`]: token.token, [`h${i}`]: token.hidden });
        return `(:l${i}, :t${i}, :h${i})`;
      });
      await sql.query(`INSERT INTO ${n(TABLE)} (${n('leadId')}, ${n('token')}, ${n('hidden')}) VALUES ${values.join(', ')}`, parameters);
    }
    after = Number(rows[rows.length - 1].id);
  }
}
