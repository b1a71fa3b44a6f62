import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import { ROUTING_MODES, SOURCE_TYPES, type RoutingMode, type SourceType } from '../source-type';

export class SourceDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'inbound_call' }) code: string;
  @ApiProperty({ description: 'Display name in the language of the request (`Accept-Language`), else the default name' })
  name: string;
  @ApiProperty({ description: 'The default (untranslated) name' }) defaultName: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) translations: Record<string, string>;
  @ApiProperty({ enum: SOURCE_TYPES }) type: SourceType;
  @ApiProperty() sequence: number;
  @ApiProperty({ description: 'False once archived' }) active: boolean;
  @ApiProperty() forLeads: boolean;
  @ApiProperty() forCustomers: boolean;
  @ApiProperty({ description: 'Looked up by code by integrations: the code never changes; never archived, deleted or merged away' })
  protected: boolean;
  @ApiProperty({ type: [String] }) matchKeys: string[];
  @ApiProperty({ type: String, nullable: true }) productCategory: string | null;
  @ApiProperty({ enum: ROUTING_MODES }) routingMode: RoutingMode;
  @ApiProperty({ type: String, nullable: true }) routingPersonId: string | null;
  @ApiProperty({ type: [Number] }) routingTeamIds: number[];
  @ApiProperty({ type: String, nullable: true }) fallbackPersonId: string | null;
  @ApiProperty({ type: Number, nullable: true }) defaultMarketingCampaignId: number | null;
  @ApiProperty({ type: Number, nullable: true }) defaultSalesDirectionId: number | null;
  @ApiProperty() updateLead: boolean;
  @ApiProperty() updateContact: boolean;
  @ApiProperty() showDoNotContact: boolean;
  @ApiProperty({ description: 'Send it back on PATCH (body or If-Match)' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SourcePageDto extends PageOf(SourceDto) {}
