import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../core/http/page';
import type { CrmCaller } from '../../core/access/crm-caller';
import type { Contact } from '../contact.entity';
import { visibleDetails } from '../contact-privacy';

export class ContactDto {
  @ApiProperty() id: number;
  @ApiProperty({ type: Number, nullable: true }) companyId: number | null;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, nullable: true }) middleName: string | null;
  @ApiProperty({ description: 'First, middle and last name' }) fullName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Masked (`***99`) for a do-not-contact contact unless the caller has `contacts.reveal`' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The extension to dial after the phone (masked: null)' }) phoneExtension: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Masked (`j***@acme.example`) for a do-not-contact contact unless the caller has `contacts.reveal`' }) email: string | null;
  @ApiProperty({ description: 'The contact asked not to be contacted' }) doNotContact: boolean;
  @ApiProperty({ description: 'True when email and phone are masked for the caller' }) masked: boolean;
  @ApiProperty({ type: String, nullable: true }) jobTitle: string | null;
  @ApiProperty({ description: 'Send it back on PATCH to refuse overwriting a newer change' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  /** Maps a contact as `caller` may see it (the do-not-contact rule of `contact-privacy.ts`). */
  static from(contact: Contact, caller: CrmCaller): ContactDto {
    const { email, phone, phoneExtension, masked } = visibleDetails(caller, contact);
    return {
      id: contact.id,
      companyId: contact.companyId,
      firstName: contact.firstName,
      lastName: contact.lastName,
      middleName: contact.middleName,
      fullName: [contact.firstName, contact.middleName, contact.lastName].filter(Boolean).join(' '),
      phone,
      phoneExtension,
      email,
      doNotContact: contact.doNotContact,
      masked,
      jobTitle: contact.jobTitle,
      version: contact.version,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
    };
  }
}

export class ContactPageDto extends PageOf(ContactDto) {}
