import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { textColumn, varcharColumn } from './support/migration-columns';

/**
 * The three qualification answers help page 004 asks a person to write, with the label each former
 * code was shown with. A copy frozen here: the codes left the code base with this migration.
 */
const FORMER_OPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  implementationOptions: { purchase: 'Purchase', lease: 'Lease', subscription: 'Subscription', service_contract: 'Service contract', pilot: 'Pilot', other: 'Other' },
  influenceOnDecision: { none: 'None', low: 'Low', medium: 'Medium', high: 'High', decisive: 'Decisive' },
  complianceWithCriteria: { full: 'Full', partial: 'Partial', none: 'None', unknown: 'Unknown' },
};

const TABLE = 'crm_lead';

/**
 * `implementationOptions`, `influenceOnDecision` and `complianceWithCriteria` become free text: each
 * stored code is replaced by its label (`service_contract` → `Service contract`), anything else is
 * kept as it is. Changing a column's type in place drops its data on MySQL/MariaDB and PostgreSQL
 * (TypeORM's `changeColumn` drops and re-adds it), so each answer is copied through a new column.
 * `down` turns labels back into codes and empties any other text, which the old code lists cannot hold.
 */
export class CrmLeadQualificationText1764600000400 implements MigrationInterface {
  name = 'CrmLeadQualificationText1764600000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, (column) => new TableColumn(textColumn(column, { isNullable: true })), (labels) => labels, 'keep');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await retype(queryRunner, (column) => new TableColumn(varcharColumn(column, 32, { isNullable: true })), invert, 'clear');
  }
}

/** Moves every answer column to the type `column` makes, mapping values by `mapping(labels)`; `otherwise` says what becomes of the rest. */
async function retype(
  queryRunner: QueryRunner,
  column: (name: string) => TableColumn,
  mapping: (labels: Readonly<Record<string, string>>) => Readonly<Record<string, string>>,
  otherwise: 'keep' | 'clear',
): Promise<void> {
  const answers = Object.keys(FORMER_OPTIONS);
  const staged = (name: string) => `${name}Retyped`;
  await queryRunner.addColumns(TABLE, answers.map((name) => column(staged(name))));
  const escape = (name: string) => queryRunner.connection.driver.escape(name);
  for (const name of answers) {
    // Constant, quoted literals in a standard CASE: the same statement on every database.
    const cases = Object.entries(mapping(FORMER_OPTIONS[name]))
      .map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`)
      .join(' ');
    const rest = otherwise === 'keep' ? escape(name) : 'NULL';
    await queryRunner.query(`UPDATE ${escape(TABLE)} SET ${escape(staged(name))} = CASE ${escape(name)} ${cases} ELSE ${rest} END WHERE ${escape(name)} IS NOT NULL`);
  }
  await queryRunner.dropColumns(TABLE, answers);
  for (const name of answers) await queryRunner.renameColumn(TABLE, staged(name), name);
}

function invert(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([code, label]) => [label, code]));
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
