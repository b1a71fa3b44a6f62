import type { CrmUser } from 'nest-crm';

/** The host's own user record, shaped the host's way; `toCrmUser` is what it hands the CRM (`resolveUser`). */
export interface HostUser {
  userId: string;
  name: string;
  groups: string[];
}

/** Bearer tokens of the fixture host. */
export const HOST_USERS: Record<string, HostUser> = {
  'host-manager-token': { userId: 'host-mgr', name: 'Host Manager', groups: ['crm_manager'] },
  'host-agent-token': { userId: 'host-agent', name: 'Host Agent', groups: ['crm_sales'] },
};

export function toCrmUser(request: { user?: HostUser }): CrmUser | undefined {
  return request.user && { id: request.user.userId, roles: request.user.groups };
}
