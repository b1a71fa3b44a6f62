import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageOf, PageQueryDto } from '../../../core/http/page';
import { REJECTED_INTAKE_STATUSES, type RejectedIntake, type RejectedIntakeStatus } from '../rejected-intake.entity';

export class RejectedIntakeDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true, description: 'The API key it came with' }) keyId: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The source as submitted' }) sourceText: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The submission as received' }) payload: Record<string, unknown>;
  @ApiProperty({ enum: REJECTED_INTAKE_STATUSES }) status: RejectedIntakeStatus;
  @ApiProperty({ type: Number, nullable: true, description: 'The lead the replay wrote' }) leadId: number | null;
  @ApiProperty({ type: Date, nullable: true }) replayedAt: Date | null;
  @ApiProperty() createdAt: Date;

  static from(rejected: RejectedIntake): RejectedIntakeDto {
    return {
      id: rejected.id,
      keyId: rejected.keyId,
      sourceText: rejected.sourceText,
      reason: rejected.reason,
      payload: { ...rejected.payload },
      status: rejected.status,
      leadId: rejected.leadId,
      replayedAt: rejected.replayedAt,
      createdAt: rejected.createdAt,
    };
  }
}

export class RejectedIntakePageDto extends PageOf(RejectedIntakeDto) {}

export class RejectedIntakeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REJECTED_INTAKE_STATUSES, description: 'Default: pending ones only' })
  @IsOptional()
  @IsIn(REJECTED_INTAKE_STATUSES)
  status?: RejectedIntakeStatus;
}
