import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class IntakeContactDto {
  @ApiProperty() id: number;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Masked (`j***@acme.example`) for a do-not-contact contact unless the source shows them' })
  email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Masked (`***99`) likewise' })
  phone: string | null;
  @ApiProperty() doNotContact: boolean;
  @ApiProperty({ description: 'True when email and phone are masked' }) masked: boolean;
}

/** What the intake did with a submission. */
export class IntakeResultDto {
  @ApiProperty({ enum: ['created', 'updated', 'skipped'] }) status: 'created' | 'updated' | 'skipped';
  @ApiProperty() leadId: number;
  @ApiProperty({ description: 'The submission matched an existing contact (email/phone) or company (TIN/website)' }) duplicate: boolean;
  @ApiPropertyOptional({ description: 'The open lead it duplicates (updated, when the source says so)' }) duplicateOfLeadId?: number;
  @ApiProperty() sourceId: number;
  @ApiProperty() sourceCode: string;
  @ApiProperty({ type: String, nullable: true, description: 'The owner routing picked' }) ownerId: string | null;
  @ApiProperty({ type: Number, nullable: true }) companyId: number | null;
  @ApiProperty({ type: IntakeContactDto, nullable: true }) contact: IntakeContactDto | null;
}
