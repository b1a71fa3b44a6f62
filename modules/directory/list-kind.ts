import type { CrmApiTag } from '../core/http/crm-swagger';

/** The small lists managers keep and leads point at. */
export const LIST_KINDS = ['sales_direction', 'product', 'marketing_campaign', 'content_channel'] as const;

export type ListKind = (typeof LIST_KINDS)[number];

/** Where each list is served under the CRM route prefix, and its Swagger tag. */
export const LIST_KIND_ROUTES: Readonly<Record<ListKind, { path: string; tag: CrmApiTag; label: string }>> = {
  sales_direction: { path: 'sales-directions', tag: 'Sales directions', label: 'Sales direction' },
  product: { path: 'products', tag: 'Products and services', label: 'Product' },
  marketing_campaign: { path: 'marketing-campaigns', tag: 'Marketing campaigns', label: 'Marketing campaign' },
  content_channel: { path: 'content-channels', tag: 'Content distribution channels', label: 'Content channel' },
};

