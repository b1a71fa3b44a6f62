/** Source types, used by attribution reports to group sources. */
export const SOURCE_TYPES = [
  'inbound_call',
  'outbound_call',
  'campaign',
  'referral',
  'walk_in',
  'website',
  'social_media',
  'event_exhibition',
] as const;

export type SourceType = (typeof SOURCE_TYPES)[number];

/** Which kind of record a source is offered for. */
export type SourceAppliesTo = 'lead' | 'customer';

export const SOURCE_CODE_PATTERN = /^[a-z][a-z0-9_]*$/;
export const SOURCE_CODE_MAX_LENGTH = 20;

/** How a lead arriving through a source gets its owner. */
export const ROUTING_MODES = ['none', 'person', 'teams'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

/** The form a product category is compared in (and stored on match keys): trimmed, lower-cased, `''` for none. */
export function productCategoryKey(category: string | null | undefined): string {
  return (category ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}
