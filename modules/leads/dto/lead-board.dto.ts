import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, Max } from 'class-validator';
import { LeadDto } from './lead.dto';
import { LeadFilterDto } from './lead-filter.dto';
import { QueryId } from '../../core/http/query-id.decorator';

/**
 * The lead columns a board card shows: what a kanban card of a mature CRM carries (title, company, contact, owner,
 * amount, close date) and what moving it takes (`version` for the PATCH). The whole lead is one `GET /leads/:id` away.
 */
export const LEAD_CARD_COLUMNS = ['id', 'name', 'sourceId', 'status', 'ownerId', 'leadCompanyName', 'companyId', 'contactId', 'partnerCompanyId', 'estimatedAmount', 'estimatedCloseDate', 'version', 'createdAt', 'updatedAt'] as const;

/** A board card: the card columns, and the company and contact as a lead view shows them (masked alike). */
export class LeadCardDto extends PickType(LeadDto, [...LEAD_CARD_COLUMNS, 'companyName', 'contactName', 'contactEmail', 'contactPhone', 'contactMasked'] as const) {}

export const LEAD_BOARD_GROUPS = ['source', 'status'] as const;
export type LeadBoardGroup = (typeof LEAD_BOARD_GROUPS)[number];

/** `GET /leads/board`: the list filters, a grouping and how many cards per column. */
export class LeadBoardQueryDto extends LeadFilterDto {
  @ApiPropertyOptional({ enum: LEAD_BOARD_GROUPS, default: 'status', description: 'One column per status or per source' })
  @IsOptional()
  @IsIn(LEAD_BOARD_GROUPS)
  groupBy: LeadBoardGroup = 'status';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Cards per column (newest first)' })
  @QueryId()
  @Max(100)
  limit: number = 20;
}

export class LeadBoardColumnDto {
  @ApiProperty({ description: 'The source id or the status code', oneOf: [{ type: 'integer' }, { type: 'string' }] })
  key: number | string;
  @ApiProperty({ description: 'Source name (in the language of the request) or status label' }) label: string;
  @ApiProperty({ description: 'All matching leads in this column' }) count: number;
  @ApiProperty({ type: LeadCardDto, isArray: true, description: 'The first `limit` of them, newest first' }) cards: LeadCardDto[];
}

export class LeadBoardDto {
  @ApiProperty({ enum: LEAD_BOARD_GROUPS }) groupBy: LeadBoardGroup;
  @ApiProperty({ type: LeadBoardColumnDto, isArray: true }) columns: LeadBoardColumnDto[];
}
