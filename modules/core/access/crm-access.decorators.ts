import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { CRM_BEARER_SCHEME } from '../http/crm-swagger';
import type { CrmCaller } from './crm-caller';
import type { CrmPermission } from './crm-permissions';
import { CRM_ACCESS_KEY, CrmAccessRule } from './crm-access.metadata';

/**
 * Guards a CRM route by a permission and documents it: bearer auth, 401 without a caller,
 * 403 naming the missing permission.
 */
export function Authorized(permission: CrmPermission): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(CRM_ACCESS_KEY, { permission } satisfies CrmAccessRule),
    ApiBearerAuth(CRM_BEARER_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No authenticated caller' }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `Caller lacks the \`${permission}\` permission` }),
  );
}

/** Marks a CRM route as deliberately open to callers without a CRM user (it authenticates otherwise). */
export function PublicRoute(): MethodDecorator & ClassDecorator {
  return SetMetadata(CRM_ACCESS_KEY, { public: true } satisfies CrmAccessRule);
}

/** The authorized caller, as resolved by the access guard. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CrmCaller => {
  return context.switchToHttp().getRequest().crmCaller;
});
