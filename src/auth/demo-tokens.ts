import { randomBytes } from 'node:crypto';
import type { CrmUser } from '../../modules';

/** A bearer token of the demo host and the user it stands for. */
export interface DemoToken {
  token: string;
  user: CrmUser;
}

/**
 * Parses `CRM_API_TOKENS`: comma-separated `token:userId:role|role[:partnerCompanyId]` entries.
 * Without it (and outside production) makes a manager, an agent and a partner-supervisor token.
 */
export function demoTokens(spec: string | undefined, production: boolean): { tokens: DemoToken[]; generated: boolean } {
  if (spec && spec.trim()) return { tokens: spec.split(',').map((entry) => parseEntry(entry.trim())), generated: false };
  if (production) {
    throw new Error('CRM_API_TOKENS is not set and NODE_ENV=production: refusing to start without configured API tokens');
  }
  const make = (id: string, role: string, partnerCompanyId?: number): DemoToken => ({
    token: `${role.replace('crm_', '')}-${randomBytes(12).toString('hex')}`,
    user: { id, roles: [role], ...(partnerCompanyId ? { partnerCompanyId } : {}) },
  });
  return { tokens: [make('manager', 'crm_manager'), make('agent', 'crm_sales'), make('partner', 'crm_partner_supervisor', 1)], generated: true };
}

function parseEntry(entry: string): DemoToken {
  const [token, userId, roles, partner] = entry.split(':');
  if (!token || !userId || !roles) throw new Error(`CRM_API_TOKENS entry "${entry}" must look like token:userId:role|role[:partnerCompanyId]`);
  const partnerCompanyId = partner ? Number(partner) : undefined;
  if (partner && !Number.isInteger(partnerCompanyId)) throw new Error(`CRM_API_TOKENS entry "${entry}": partnerCompanyId must be a number`);
  return { token, user: { id: userId, roles: roles.split('|').filter(Boolean), ...(partnerCompanyId ? { partnerCompanyId } : {}) } };
}
