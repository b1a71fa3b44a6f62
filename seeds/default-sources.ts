import type { SourceType } from '../modules/sources/source-type';

/** A source the seed migration installs. */
export interface DefaultSource {
  code: string;
  name: string;
  type: SourceType;
  sequence: number;
  forLeads: boolean;
  forCustomers: boolean;
  protected: boolean;
}

const shared = { forLeads: true, forCustomers: true, protected: false };
/** The distributor sync tags imported leads by these codes, so they are locked and lead-only. */
const distributor = { forLeads: true, forCustomers: false, protected: true };

/** The default catalogue, in picker order. */
export const DEFAULT_SOURCES: readonly DefaultSource[] = [
  { code: 'inbound_call', name: 'Inbound Call', type: 'inbound_call', sequence: 10, ...shared },
  { code: 'outbound_call', name: 'Outbound Call', type: 'outbound_call', sequence: 20, ...shared },
  { code: 'walkin', name: 'Walk-In', type: 'walk_in', sequence: 30, ...shared },
  { code: 'referral', name: 'Referral', type: 'referral', sequence: 40, ...shared },
  { code: 'source_web_quotation', name: 'Web Quotation', type: 'website', sequence: 50, ...distributor },
  { code: 'source_web_test_drive', name: 'Web Test Drive', type: 'website', sequence: 60, ...distributor },
  { code: 'campaign', name: 'Campaign', type: 'campaign', sequence: 70, ...shared },
  { code: 'social', name: 'Social Media', type: 'social_media', sequence: 80, ...shared },
  { code: 'event', name: 'Event / Exhibition', type: 'event_exhibition', sequence: 90, ...shared },
];
