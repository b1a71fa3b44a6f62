import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import {
  booleanColumn,
  createdAtColumn,
  foreignKey,
  idColumn,
  intColumn,
  updatedAtColumn,
  varcharColumn,
} from './support/migration-columns';

/** The directory: people, teams, companies, contacts and the small managed lists. */
export class CrmDirectory1763856000200 implements MigrationInterface {
  name = 'CrmDirectory1763856000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'crm_person',
        columns: [
          varcharColumn('id', 64, { isPrimary: true }),
          varcharColumn('displayName', 120),
          varcharColumn('email', 254, { isNullable: true }),
          booleanColumn(queryRunner, 'active', true),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [new TableIndex({ name: 'IDX_crm_person_active', columnNames: ['active', 'displayName'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_team',
        columns: [idColumn(), varcharColumn('name', 120), booleanColumn(queryRunner, 'active', true), createdAtColumn(queryRunner), updatedAtColumn(queryRunner)],
        indices: [
          new TableIndex({ name: 'UQ_crm_team_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_team_active', columnNames: ['active'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_team_member',
        columns: [intColumn('teamId', { isPrimary: true }), varcharColumn('personId', 64, { isPrimary: true })],
        indices: [new TableIndex({ name: 'IDX_crm_team_member_person', columnNames: ['personId'] })],
        foreignKeys: [
          foreignKey('FK_crm_team_member_team', 'teamId', 'crm_team', 'CASCADE'),
          foreignKey('FK_crm_team_member_person', 'personId', 'crm_person', 'CASCADE'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_company',
        columns: [
          idColumn(),
          varcharColumn('name', 200),
          varcharColumn('nameKey', 200),
          varcharColumn('website', 255, { isNullable: true }),
          varcharColumn('websiteDomain', 253, { isNullable: true }),
          varcharColumn('tin', 12, { isNullable: true }),
          booleanColumn(queryRunner, 'isPartner', false),
          varcharColumn('city', 120, { isNullable: true }),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_crm_company_name_key', columnNames: ['nameKey'], isUnique: true }),
          new TableIndex({ name: 'UQ_crm_company_website_domain', columnNames: ['websiteDomain'], isUnique: true }),
          new TableIndex({ name: 'UQ_crm_company_tin', columnNames: ['tin'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_company_partner', columnNames: ['isPartner'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_contact',
        columns: [
          idColumn(),
          intColumn('companyId', { isNullable: true }),
          varcharColumn('firstName', 80),
          varcharColumn('lastName', 80),
          varcharColumn('middleName', 80, { isNullable: true }),
          varcharColumn('phone', 40, { isNullable: true }),
          varcharColumn('phoneKey', 40, { isNullable: true }),
          varcharColumn('email', 254, { isNullable: true }),
          varcharColumn('emailKey', 254, { isNullable: true }),
          booleanColumn(queryRunner, 'doNotContact', false),
          varcharColumn('jobTitle', 120, { isNullable: true }),
          intColumn('version', { default: 1 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'IDX_crm_contact_company', columnNames: ['companyId'] }),
          new TableIndex({ name: 'IDX_crm_contact_name', columnNames: ['lastName', 'firstName'] }),
          new TableIndex({ name: 'IDX_crm_contact_phone_key', columnNames: ['phoneKey'] }),
          new TableIndex({ name: 'IDX_crm_contact_email_key', columnNames: ['emailKey'] }),
        ],
        foreignKeys: [foreignKey('FK_crm_contact_company', 'companyId', 'crm_company', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'crm_list_entry',
        columns: [
          idColumn(),
          varcharColumn('kind', 32),
          varcharColumn('name', 120),
          varcharColumn('code', 40, { isNullable: true }),
          booleanColumn(queryRunner, 'active', true),
          intColumn('sequence', { default: 10 }),
          createdAtColumn(queryRunner),
          updatedAtColumn(queryRunner),
        ],
        indices: [
          new TableIndex({ name: 'UQ_crm_list_entry_kind_name', columnNames: ['kind', 'name'], isUnique: true }),
          new TableIndex({ name: 'UQ_crm_list_entry_kind_code', columnNames: ['kind', 'code'], isUnique: true }),
          new TableIndex({ name: 'IDX_crm_list_entry_picker', columnNames: ['kind', 'active', 'sequence', 'name'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('crm_list_entry');
    await queryRunner.dropTable('crm_contact');
    await queryRunner.dropTable('crm_company');
    await queryRunner.dropTable('crm_team_member');
    await queryRunner.dropTable('crm_team');
    await queryRunner.dropTable('crm_person');
  }
}
