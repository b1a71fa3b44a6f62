import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const INDEXES = [
  new TableIndex({ name: 'IDX_crm_lead_status_source_created', columnNames: ['status', 'sourceId', 'createdAt'] }),
  new TableIndex({ name: 'IDX_crm_lead_partner_status_source', columnNames: ['partnerCompanyId', 'status', 'sourceId', 'createdAt'] }),
];

/**
 * Covering indexes for the grouped lead counts of the board and the attribution report, so each is
 * read off an index alone (no lead row visited): `(status, sourceId, createdAt)` answers the
 * converted leads per source and a status-filtered board per source; `(partnerCompanyId, status,
 * sourceId, createdAt)` answers a partner's board and report, whichever the grouping, within that
 * partner's own range of the index. `createdAt` last, so a report's period is checked in the index too.
 */
export class CrmLeadCountIndexes1764600000820 implements MigrationInterface {
  name = 'CrmLeadCountIndexes1764600000820';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of INDEXES) await queryRunner.createIndex('crm_lead', index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [...INDEXES].reverse()) await queryRunner.dropIndex('crm_lead', index.name!);
  }
}
