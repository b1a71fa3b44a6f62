import type { CrmPermission } from '../access/crm-permissions';
import { DEFAULT_ROLE_PERMISSIONS } from '../access/crm-permissions';
import type { CrmUser } from '../access/crm-caller';

/**
 * Options of `CrmModule.forRoot` / `forRootAsync`. Every field is optional; `resolveCrmOptions`
 * merges them with the defaults documented on each field.
 */
export class CrmModuleOptions {
  /**
   * Reads the caller from the request. Default: `request.user`, as set by the host's authentication.
   * Return `undefined` for an anonymous request.
   */
  resolveUser?: (request: any) => CrmUser | undefined | null;

  /** Role → permissions map. Default: `DEFAULT_ROLE_PERMISSIONS`; a given map replaces it whole. */
  rolePermissions?: Record<string, readonly CrmPermission[]>;

  /**
   * Source codes that integrations look up by code, on top of the seeded `source_web_*` ones.
   * Their code never changes and they are never archived, deleted or merged away.
   */
  protectedSourceCodes?: string[];
}

/** The options after defaults are applied; what CRM providers inject under `CRM_OPTIONS`. */
export interface ResolvedCrmOptions {
  resolveUser: (request: any) => CrmUser | undefined | null;
  rolePermissions: Readonly<Record<string, readonly CrmPermission[]>>;
  protectedSourceCodes: ReadonlySet<string>;
}

/** Codes the distributor sync looks up; protected whatever the host configures. */
export const BUILT_IN_PROTECTED_SOURCE_CODES = ['source_web_quotation', 'source_web_test_drive'];

export function resolveCrmOptions(options: CrmModuleOptions = {}): ResolvedCrmOptions {
  return {
    resolveUser: options.resolveUser ?? ((request) => request?.user),
    rolePermissions: options.rolePermissions ?? DEFAULT_ROLE_PERMISSIONS,
    protectedSourceCodes: new Set([...BUILT_IN_PROTECTED_SOURCE_CODES, ...(options.protectedSourceCodes ?? [])]),
  };
}

/** Injection token of the resolved options. */
export const CRM_OPTIONS = Symbol('CRM_OPTIONS');
