import { ApiProperty } from '@nestjs/swagger';
import { INTAKE_RULES, type IntakeRule } from '../intake-record';

export const INTAKE_RESULT_STATUSES = ['created', 'updated', 'duplicate'] as const;
export type IntakeResultStatus = (typeof INTAKE_RESULT_STATUSES)[number];

/**
 * What the intake did with a submission. It names the lead that holds the submission and the rules
 * that ran, and nothing stored that the request did not carry: no contact, company, owner or other
 * lead, so an intake key (public in a web form's page) cannot be used to look people up.
 */
export class IntakeResultDto {
  @ApiProperty({
    enum: INTAKE_RESULT_STATUSES,
    description:
      '`created`: a new lead, nothing matched. `duplicate`: it matched a known contact or company and is a new lead linked to them (`updateLead` off), or its lead is closed and nothing was written. `updated`: it went into an existing lead (its external id, or the source\'s `updateLead`); whether any stored field differed is not said',
  })
  status: IntakeResultStatus;

  @ApiProperty({ description: 'The lead that holds the submission' }) leadId: number;
  @ApiProperty() sourceId: number;
  @ApiProperty() sourceCode: string;

  @ApiProperty({
    enum: INTAKE_RULES,
    isArray: true,
    description:
      "The source's rules that acted on it, in order: `externalId` (known by its external id), `updateContact` (the matched contact was offered the submitted details), `updateLead` (the matched open lead took it), `leadClosed` (its lead is closed: nothing written), `linkDuplicate` (a new lead linked to what it matched), `routing` (the owner was picked by the source's routing)",
  })
  rules: IntakeRule[];
}
