import { ApiProperty } from '@nestjs/swagger';
import type { Source } from '../../sources/source.entity';

/** A record's source as joined live from the catalogue: renaming the source relabels every record. */
export class SourceRefDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'inbound_call' }) code: string;
  @ApiProperty({ example: 'Inbound Call' }) name: string;

  static from(source: Source | null | undefined): SourceRefDto | null {
    return source ? { id: source.id, code: source.code, name: source.name } : null;
  }
}
