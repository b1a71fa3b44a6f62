import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../core/http/page';
import { IMPORT_RUN_KINDS, type ImportRunKind } from '../import-run.entity';

export class ImportRunQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_RUN_KINDS, description: 'Runs of this kind only: CSV imports or distributor syncs' })
  @IsOptional()
  @IsIn(IMPORT_RUN_KINDS)
  kind?: ImportRunKind;
}
