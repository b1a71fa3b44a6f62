/**
 * Every permission the CRM checks. Routes are guarded by permissions, never by role names,
 * so a host can map its own roles onto them.
 */
export const CRM_PERMISSIONS = [
  'sources.read',
  'sources.write',
  'leads.read',
  'leads.write',
  'leads.delete',
  'leads.manage',
  'directory.read',
  'directory.write',
  /** See a do-not-contact contact's email and phone, and find them by it (see `contact-privacy.ts`). */
  'contacts.reveal',
  'companies.write',
  'customers.read',
  'customers.write',
  'opportunities.read',
  'opportunities.write',
  'reports.read',
  'intake.manage',
  'imports.run',
] as const;

export type CrmPermission = (typeof CRM_PERMISSIONS)[number];

const AGENT: CrmPermission[] = [
  'sources.read',
  'leads.read',
  'leads.write',
  'directory.read',
  'companies.write',
  'customers.read',
  'customers.write',
  'opportunities.read',
  'opportunities.write',
  'reports.read',
];

const MANAGER: CrmPermission[] = [...CRM_PERMISSIONS];

/**
 * The role → permission map that ships with the plugin. Managers curate the catalogue and the
 * directory; agents (sales, marketing, partner supervisors) work with records.
 * Hosts replace it through the `rolePermissions` module option.
 */
export const DEFAULT_ROLE_PERMISSIONS: Readonly<Record<string, readonly CrmPermission[]>> = {
  crm_admin: MANAGER,
  crm_manager: MANAGER,
  crm_sales: AGENT,
  crm_marketeer: AGENT,
  crm_partner_supervisor: AGENT,
};
