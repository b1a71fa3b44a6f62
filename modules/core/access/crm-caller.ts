import type { CrmPermission } from './crm-permissions';

/** The shape the host puts on the request (default `request.user`) for the CRM to authorize. */
export interface CrmUser {
  /** The host's user id; directory people use the same id. */
  id: string | number;
  roles: string[];
  /** Extra permissions granted to this user on top of their roles. */
  permissions?: string[];
  /** Set for partner-company supervisors: they only see their partner company's records. */
  partnerCompanyId?: number | null;
}

/** The authorized caller every CRM service method receives first. */
export interface CrmCaller {
  readonly id: string;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<CrmPermission>;
  readonly partnerCompanyId: number | null;
}

export function callerCan(caller: CrmCaller, permission: CrmPermission): boolean {
  return caller.permissions.has(permission);
}

/** A caller acting for the system (imports, scheduled sync); it holds every permission. */
export function systemCaller(id: string, permissions: readonly CrmPermission[]): CrmCaller {
  return { id, roles: ['system'], permissions: new Set(permissions), partnerCompanyId: null };
}
