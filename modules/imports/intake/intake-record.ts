/**
 * One incoming lead as any entry point (REST intake, CSV row, distributor sync) hands it to the
 * intake pipeline. Every field is an untrusted string: list values (sales direction, product,
 * marketing campaign) are given by code or name, `source` is matched against source codes and
 * match keys, and `productCategory` picks between sources sharing a match key.
 */
export interface IntakeRecord {
  source?: string;
  productCategory?: string;
  name?: string;
  companyName?: string;
  website?: string;
  tin?: string;
  firstName?: string;
  lastName?: string;
  middleName?: string;
  email?: string;
  phone?: string;
  /** The phone's extension; a phone ending in one ("… ext. 12", "… доб. 12") is split into both. */
  phoneExtension?: string;
  jobTitle?: string;
  city?: string;
  channel?: string;
  customerRequirements?: string;
  salesDirection?: string;
  product?: string;
  marketingCampaign?: string;
  externalSource?: string;
  externalId?: string;
}

/**
 * A rule of the record's source that acted on it, in the order they ran:
 * - `externalId`: the record was known by its external id, and its lead took it;
 * - `updateContact`: it matched a contact, offered the record's details (the source's `updateContact`);
 * - `updateLead`: it matched an open lead, which took it (the source's `updateLead`, or a CSV upsert);
 * - `leadClosed`: the lead it belongs to is closed, so nothing was written;
 * - `linkDuplicate`: it matched a contact or company and became a new lead linked to them (`updateLead` off);
 * - `routing`: the new lead's owner was picked by the source's routing.
 */
export type IntakeRule = 'externalId' | 'updateContact' | 'updateLead' | 'leadClosed' | 'linkDuplicate' | 'routing';

export const INTAKE_RULES: readonly IntakeRule[] = ['externalId', 'updateContact', 'updateLead', 'leadClosed', 'linkDuplicate', 'routing'];

/** What the pipeline did with one record. */
export interface IntakeOutcome {
  status: 'created' | 'updated' | 'skipped';
  leadId: number;
  /** The source's rules that acted on it. */
  rules: IntakeRule[];
  /** Set when the record matched an existing contact/company/lead and the lead was linked or updated. */
  duplicateOfLeadId?: number;
}
