import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CRM_ACCESS_KEY, CrmAccessRule } from 'nest-crm';
import { HOST_USERS } from './host-users';
import { IS_PUBLIC } from './public.decorator';

/**
 * The host's global guard (APP_GUARD): a bearer token names a host user; without one only public routes pass:
 * the host's own `@Public()` ones and the CRM's public ones (lead intake, which authenticates by API key).
 */
@Injectable()
export class HostAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    if (header) {
      const user = HOST_USERS[header.replace(/^Bearer\s+/i, '')];
      if (!user) throw new UnauthorizedException('Unknown token');
      request.user = user;
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<CrmAccessRule | undefined>(CRM_ACCESS_KEY, targets)?.public) return true;
    throw new UnauthorizedException('Sign in first');
  }
}
