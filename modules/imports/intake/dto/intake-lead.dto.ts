import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { IntakeRecord } from '../intake-record';

// Nullable: web forms and partner systems send null for a field they have no value for; it counts as left out.
const text = (maxLength: number, description?: string, example?: string) =>
  applyDecorators(ApiPropertyOptional({ type: String, nullable: true, maxLength, description, example }), IsOptional(), IsString(), MaxLength(maxLength));

/**
 * One lead posted by a web form or a partner system. Every field is optional text; the pipeline
 * decides what is required (a sales direction unless the source has a default, a name or something
 * to name the lead after, first and last name with any contact detail).
 */
export class IntakeLeadDto implements IntakeRecord {
  @text(120, 'Matched exactly against source codes and match keys; the API key\'s default source applies when left out', 'website-form')
  source?: string;

  @text(60, 'Picks between sources that share the match key', 'trucks')
  productCategory?: string;

  @text(200, "The lead's title; default: the company, the contact's name or the email", 'Fleet of 12 vans')
  name?: string;

  @text(200, undefined, 'Acme Logistics')
  companyName?: string;

  @text(255, 'With companyName and tin, creates the company; with tin, finds an existing one', 'https://acme.example')
  website?: string;

  @text(12, '9, 10 or 12 digits', '7701234567')
  tin?: string;

  @text(80) firstName?: string;
  @text(80) lastName?: string;
  @text(80) middleName?: string;
  @text(254, undefined, 'jane@acme.example') email?: string;
  @text(40, undefined, '+1 555 010 9999') phone?: string;
  @text(120) jobTitle?: string;
  @text(120) city?: string;
  @text(200, 'How the requester reached us') channel?: string;
  @text(10000) customerRequirements?: string;
  @text(120, 'A sales direction, by code or name') salesDirection?: string;
  @text(120, 'A product, by code or name') product?: string;
  @text(120, 'A marketing campaign, by code or name; default: the source\'s') marketingCampaign?: string;
  @text(64, 'Your system\'s name; with externalId, a repeated submission updates its lead. Default `intake`') externalSource?: string;
  @text(64, 'Your record id: re-sending it updates the lead instead of creating another') externalId?: string;
}
