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

/** What the pipeline did with one record. */
export interface IntakeOutcome {
  status: 'created' | 'updated' | 'skipped';
  leadId: number;
  /** Set when the record matched an existing contact/company/lead and the lead was linked or updated. */
  duplicateOfLeadId?: number;
}
