/** Codes of the domain errors CRM services throw; the exception filter maps each to an HTTP status. */
export type CrmErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'STALE_VERSION'
  | 'IN_USE'
  | 'PROTECTED'
  | 'RETIRED_CODE'
  | 'INELIGIBLE_REFERENCE'
  | 'LOCKED'
  | 'PRECONDITION_REQUIRED'
  | 'UNPROCESSABLE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

/** One field-level complaint: which field broke which rule. */
export interface CrmFieldError {
  field: string;
  rule: string;
  message: string;
}

/** A typed domain error. `details` is safe to show the caller. */
export class CrmError extends Error {
  constructor(
    readonly code: CrmErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CrmError';
  }

  static validation(errors: CrmFieldError[]): CrmError {
    return new CrmError('VALIDATION_FAILED', errors.map((e) => e.message).join('; '), { errors });
  }

  static invalidField(field: string, rule: string, message: string): CrmError {
    return CrmError.validation([{ field, rule, message }]);
  }

  static notFound(entity: string, id: unknown): CrmError {
    return new CrmError('NOT_FOUND', `${entity} ${String(id)} was not found`, { entity, id });
  }
}
