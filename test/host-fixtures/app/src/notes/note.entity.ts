import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('host_note')
export class Note {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  text: string;

  @Column({ name: 'author_id', type: 'varchar', length: 64 })
  authorId: string;
}
