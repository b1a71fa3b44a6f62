import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { systemCaller } from '../../core/access/crm-caller';
import { CrmError } from '../../core/errors/crm-error';
import { CRM_INTAKE_API_KEY_HEADER } from '../../core/http/crm-swagger';
import type { IntakeKey } from './intake-key.entity';
import { IntakeKeysService } from './intake-keys.service';
import { IntakeRateLimiter } from './intake-rate-limiter.service';


/** What the intake caller may do: write leads and the contacts and companies they bring. */
const INTAKE_PERMISSIONS = ['leads.read', 'leads.write', 'directory.read', 'companies.write'] as const;

/**
 * Authenticates the intake API by `X-Api-Key` instead of the host's user auth (the route is marked
 * public for the CRM guard): a missing, unknown or revoked key is a 401; then the key's rate limit
 * applies. The caller becomes a system caller named after the key, so the audit log shows it.
 */
@Injectable()
export class IntakeApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: IntakeKeysService,
    private readonly limiter: IntakeRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const header = request.headers[CRM_INTAKE_API_KEY_HEADER.toLowerCase()];
    const key = await this.keys.authenticate(typeof header === 'string' ? header.trim() : undefined);
    if (!key) throw new CrmError('UNAUTHENTICATED', `A valid, unrevoked ${CRM_INTAKE_API_KEY_HEADER} header is required`);
    await this.limiter.consume(key.id);
    request.intakeKey = key;
    request.crmCaller = systemCaller(`intake-key:${key.id}`, INTAKE_PERMISSIONS);
    return true;
  }
}

/** The API key the request was authenticated by. */
export const AuthenticatedIntakeKey = createParamDecorator((_: unknown, context: ExecutionContext): IntakeKey => {
  return context.switchToHttp().getRequest().intakeKey;
});
