import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status';
import { CreateLeadDto } from './create-lead.dto';

/** A partial change of a lead; fields left out stay as they are, `null` clears an optional one. */
export class UpdateLeadDto extends PartialType(CreateLeadDto) {
  @ApiPropertyOptional({
    enum: LEAD_STATUSES.filter((s) => s !== 'converted'),
    description: 'Forward only: new → in_progress → qualified → lost. `converted` is set by conversion; managers may reopen a lost lead (in_progress).',
  })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'Required to mark a lead lost' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'lostReason must not be blank' })
  @MaxLength(500)
  lostReason?: string | null;

  @ApiPropertyOptional({ description: 'The version you read: a stale one is refused with 409 instead of overwriting a newer change' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
