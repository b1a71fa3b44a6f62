import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Contact } from '../../directory/contact.entity';
import { LeadWriter } from '../../leads/lead-writer.service';
import { Source } from '../../sources/source.entity';
import type { IntakeContactDto, IntakeResultDto } from './dto/intake-result.dto';
import type { IntakeResult } from './intake-pipeline.service';

/**
 * The intake's answer about the lead it wrote. The source's `showDoNotContact` rule applies here:
 * off, a do-not-contact contact's email and phone are masked.
 */
@Injectable()
export class IntakeResponder {
  constructor(private readonly leads: LeadWriter) {}

  async toDto(manager: EntityManager, result: IntakeResult): Promise<IntakeResultDto> {
    const lead = await this.leads.find(manager, result.leadId);
    const source = await manager.findOneOrFail(Source, { where: { id: lead?.sourceId ?? result.sourceId } });
    return {
      status: result.status,
      leadId: result.leadId,
      duplicate: result.duplicate,
      ...(result.duplicateOfLeadId ? { duplicateOfLeadId: result.duplicateOfLeadId } : {}),
      sourceId: source.id,
      sourceCode: source.code,
      ownerId: lead?.ownerId ?? null,
      companyId: lead?.companyId ?? null,
      contact: lead?.contact ? contactDto(lead.contact, source.showDoNotContact) : null,
    };
  }
}

function contactDto(contact: Contact, showDoNotContact: boolean): IntakeContactDto {
  const masked = contact.doNotContact && !showDoNotContact;
  return {
    id: contact.id,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: masked ? maskEmail(contact.email) : contact.email,
    phone: masked ? maskPhone(contact.phone) : contact.phone,
    doNotContact: contact.doNotContact,
    masked,
  };
}

/** `jane@acme.example` → `j***@acme.example`. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** `+1 555 010 9999` → `***99`. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return `***${phone.replace(/\D/g, '').slice(-2)}`;
}
