import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { Contact } from '../contact.entity';

export class ContactDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true }) companyId: number | null;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, nullable: true }) middleName: string | null;
  @ApiProperty({ description: 'First, middle and last name' }) fullName: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The extension to dial after the phone' }) phoneExtension: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ description: 'The contact asked not to be contacted' }) doNotContact: boolean;
  @ApiProperty({ type: String, nullable: true }) jobTitle: string | null;
  @ApiProperty({ description: 'Send it back on PATCH to refuse overwriting a newer change' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(contact: Contact): ContactDto {
    return {
      id: contact.id,
      companyId: contact.companyId,
      firstName: contact.firstName,
      lastName: contact.lastName,
      middleName: contact.middleName,
      fullName: [contact.firstName, contact.middleName, contact.lastName].filter(Boolean).join(' '),
      phone: contact.phone,
      phoneExtension: contact.phoneExtension,
      email: contact.email,
      doNotContact: contact.doNotContact,
      jobTitle: contact.jobTitle,
      version: contact.version,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
    };
  }
}

export class ContactPageDto extends PageOf(ContactDto) {}
