import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A code that belonged to a deleted or re-coded source. Never reused, so old integrations can't hit a new meaning. */
@Entity('crm_retired_source_code')
export class RetiredSourceCode {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'int' })
  sourceId: number;

  @CreateDateColumn()
  retiredAt: Date;
}
