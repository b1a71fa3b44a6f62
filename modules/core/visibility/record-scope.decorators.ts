import { SetMetadata } from '@nestjs/common';
import type { CrmRecordKind } from './record-visibility.service';

export const CRM_RECORD_SCOPE_KEY = 'crm:record-scope';

/**
 * What a route shows a partner-scoped caller: the records of these registered kinds, each narrowed
 * by `RecordVisibility`; or nothing (`denied`: the route is for the CRM's own staff).
 */
export type CrmRecordScope = { kinds: readonly string[] } | { denied: true };

/**
 * Declares the kinds of record a route reads or writes, every one of them narrowed for a partner
 * by `RecordVisibility`. A route with no declaration is closed to partner-scoped callers, so nothing
 * is reachable by omission; the route walk test holds every route to one.
 */
export function ScopedRecords(...kinds: (CrmRecordKind | (string & {}))[]): MethodDecorator & ClassDecorator {
  return SetMetadata(CRM_RECORD_SCOPE_KEY, { kinds } satisfies CrmRecordScope);
}

/** A staff-only route (imports, intake keys): a partner-scoped caller gets 403 whatever its permissions. */
export function NotForPartners(): MethodDecorator & ClassDecorator {
  return SetMetadata(CRM_RECORD_SCOPE_KEY, { denied: true } satisfies CrmRecordScope);
}
