import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CRM_OPTIONS, ResolvedCrmOptions } from '../options/crm-module-options';
import { CrmError } from '../errors/crm-error';
import type { CrmCaller, CrmUser } from './crm-caller';
import { CRM_PERMISSIONS, CrmPermission } from './crm-permissions';
import { CRM_ACCESS_KEY, CrmAccessRule } from './crm-access.metadata';
import { CRM_RECORD_SCOPE_KEY, CrmRecordScope } from '../visibility/record-scope.decorators';

const KNOWN = new Set<string>(CRM_PERMISSIONS);

/**
 * The CRM's one authorization guard. Every CRM route carries an access rule (a permission or an
 * explicit public mark); a route without one is refused, so nothing is reachable by omission. A
 * partner-scoped caller is refused, too, on a route that does not declare how it scopes records
 * (`ScopedRecords`) or that is for staff only (`NotForPartners`).
 */
@Injectable()
export class CrmAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CRM_OPTIONS) private readonly options: ResolvedCrmOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<CrmAccessRule | undefined>(CRM_ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) throw new CrmError('FORBIDDEN', 'This route declares no access rule and is closed');
    if (rule.public) return true;

    const request = context.switchToHttp().getRequest();
    const caller = this.toCaller(this.options.resolveUser(request));
    if (!caller) throw new CrmError('UNAUTHENTICATED', 'Authentication required');
    if (!caller.permissions.has(rule.permission)) {
      throw new CrmError('FORBIDDEN', `Missing permission ${rule.permission}`, { permission: rule.permission });
    }
    if (caller.partnerCompanyId !== null) this.assertOpenToPartners(context);
    request.crmCaller = caller;
    return true;
  }

  private assertOpenToPartners(context: ExecutionContext): void {
    const scope = this.reflector.getAllAndOverride<CrmRecordScope | undefined>(CRM_RECORD_SCOPE_KEY, [context.getHandler(), context.getClass()]);
    if (!scope || 'denied' in scope) throw new CrmError('FORBIDDEN', 'This route is not open to partner-scoped callers');
  }

  private toCaller(user: CrmUser | undefined | null): CrmCaller | undefined {
    if (!user || user.id === undefined || user.id === null || user.id === '') return undefined;
    const roles = Array.isArray(user.roles) ? user.roles : [];
    const permissions = new Set<CrmPermission>();
    for (const role of roles) for (const p of this.options.rolePermissions[role] ?? []) permissions.add(p);
    for (const p of user.permissions ?? []) if (KNOWN.has(p)) permissions.add(p as CrmPermission);
    const partner = user.partnerCompanyId === undefined || user.partnerCompanyId === null ? null : Number(user.partnerCompanyId);
    return { id: String(user.id), roles, permissions, partnerCompanyId: partner };
  }
}
