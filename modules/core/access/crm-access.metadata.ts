import type { CrmPermission } from './crm-permissions';

export const CRM_ACCESS_KEY = 'crm:access';

/** What the access guard decides a route by. */
export type CrmAccessRule = { public: true } | { public?: false; permission: CrmPermission };
