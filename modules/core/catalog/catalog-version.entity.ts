import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The catalogues whose readers cache them (one row each, created by migration 1764600000861). */
export type CatalogName = 'sources';

/**
 * A catalogue's version: raised in the same transaction as every write to the catalogue, so any
 * instance over the database tells with one primary-key read whether what it cached is current.
 * A migration that changes a catalogue's rows with SQL of its own raises it too.
 */
@Entity('crm_catalog_version')
export class CatalogVersion {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  catalog: CatalogName;

  @Column({ type: 'int', default: 1 })
  version: number;
}
