import { ApiProperty } from '@nestjs/swagger';
import type { CrmCaller } from '../../core/access/crm-caller';
import { visibleDetails } from '../../directory/contact-privacy';
import { PageOf } from '../../core/http/page';
import {
  CONTACT_PERSON_LEVELS,
  DECISION_LEVELS,
  LEAD_TERMS,
  PROCUREMENT_PROCEDURES,
  type ContactPersonLevel,
  type DecisionLevel,
  type LeadTerms,
  type ProcurementProcedure,
} from '../lead-qualification';
import { LEAD_STATUSES, type LeadStatus } from '../lead-status';
import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import type { Source } from '../../sources/source.entity';
import type { Lead } from '../lead.entity';
import { ApiNullableEnum } from '../../core/http/nullable-schemas';

const id = () => ApiProperty({ type: Number, nullable: true });
const text = () => ApiProperty({ type: String, nullable: true });
const oneOf = (values: readonly string[]) => ApiNullableEnum(values);

/** A lead as the API shows it. */
export class LeadDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty() sourceId: number;
  @text() leadCompanyName: string | null;
  @id() companyId: number | null;
  @text() companyName: string | null;
  @id() contactId: number | null;
  @text() contactName: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The contact's email; masked (`j***@acme.example`) for a do-not-contact contact unless the caller has `contacts.reveal` or the lead's source shows them (`showDoNotContact`)" })
  contactEmail: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The contact's phone; masked (`***99`) likewise" })
  contactPhone: string | null;
  @ApiProperty({ description: "True when the contact's email and phone are masked for the caller" })
  contactMasked: boolean;
  @text() jobTitle: string | null;
  @id() marketingCampaignId: number | null;
  @ApiProperty() salesDirectionId: number;
  @id() productId: number | null;
  @id() contentDistributionChannelId: number | null;
  @text() customerRequirements: string | null;
  @text() ownerId: string | null;
  @text() city: string | null;
  @id() partnerCompanyId: number | null;
  @id() partnerRepresentativeId: number | null;
  @text() channel: string | null;
  @text() goal: string | null;
  @text() implementationOptions: string | null;
  @ApiProperty() budgetIsSet: boolean;
  @ApiProperty({ type: String, nullable: true, example: '125000.00' }) estimatedAmount: string | null;
  @ApiProperty({ type: String, nullable: true, example: '100000.00' }) budget: string | null;
  @oneOf(PROCUREMENT_PROCEDURES) procurementProcedure: ProcurementProcedure | null;
  @oneOf(DECISION_LEVELS) decisionLevel: DecisionLevel | null;
  @oneOf(LEAD_TERMS) terms: LeadTerms | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) estimatedCloseDate: string | null;
  @text() termsComment: string | null;
  @oneOf(CONTACT_PERSON_LEVELS) contactPersonLevel: ContactPersonLevel | null;
  @text() decisionMaker: string | null;
  @text() influenceOnDecision: string | null;
  @text() competitors: string | null;
  @text() selectionCriteria: string | null;
  @text() complianceWithCriteria: string | null;
  @ApiProperty({ enum: LEAD_STATUSES }) status: LeadStatus;
  @text() lostReason: string | null;
  @id() customerId: number | null;
  @id() opportunityId: number | null;
  @ApiProperty({ type: Date, nullable: true }) convertedAt: Date | null;
  @text() externalSource: string | null;
  @text() externalId: string | null;
  @ApiProperty() createdById: string;
  @ApiProperty({ description: 'Send it back on PATCH to refuse overwriting a newer change' }) version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  /**
   * Maps a lead as `caller` may see it; `companyName` and the contact's name, email and phone are filled
   * when those relations were loaded (and the source, which says whether a do-not-contact contact shows).
   */
  static from(lead: Lead, caller: CrmCaller): LeadDto {
    const { source, company, contact, marketingCampaign: _m, salesDirection: _d, product: _p, contentDistributionChannel: _c, owner: _o, partnerCompany: _pc, partnerRepresentative: _pr, ...columns } = lead;
    return { ...columns, ...partyFields({ source, company, contact }, caller) };
  }
}

/** What a lead view shows of the lead's company, contact and source (those loaded; a missing one shows nothing). */
export interface LeadParties {
  company?: Pick<Company, 'name'> | null;
  contact?: Pick<Contact, 'firstName' | 'middleName' | 'lastName' | 'email' | 'phone' | 'phoneExtension' | 'doNotContact'> | null;
  source?: Pick<Source, 'showDoNotContact'> | null;
}

/** The fields of a lead view that come from its parties, as `caller` may see them. */
export function partyFields({ company, contact, source }: LeadParties, caller: CrmCaller): Pick<LeadDto, 'companyName' | 'contactName' | 'contactEmail' | 'contactPhone' | 'contactMasked'> {
  const companyName = company?.name ?? null;
  if (!contact) return { companyName, contactName: null, contactEmail: null, contactPhone: null, contactMasked: false };
  // A source not loaded shows nothing it would otherwise show.
  const { email, phone, masked } = visibleDetails(caller, contact, source?.showDoNotContact ?? false);
  const contactName = [contact.firstName, contact.middleName, contact.lastName].filter(Boolean).join(' ');
  return { companyName, contactName, contactEmail: email, contactPhone: phone, contactMasked: masked };
}

export class LeadPageDto extends PageOf(LeadDto) {}
