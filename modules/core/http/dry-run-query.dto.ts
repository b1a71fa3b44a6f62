import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryBoolean } from './query-boolean.decorator';

export class DryRunQueryDto {
  @ApiPropertyOptional({ description: 'Report what would happen without writing anything', default: false })
  @QueryBoolean()
  dryRun?: boolean;
}
