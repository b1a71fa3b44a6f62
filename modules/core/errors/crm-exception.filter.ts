import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, Optional } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable, isTransactionConflict } from '../database/database-failures';
import { CRM_OPTIONS, resolveDatabaseOptions, type ResolvedCrmOptions } from '../options/crm-module-options';
import { CrmError, CrmErrorCode } from './crm-error';
import type { ErrorResponseDto } from './error-response.dto';

/** The HTTP status of each domain error code. */
export function statusOf(code: CrmErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return HttpStatus.BAD_REQUEST;
    case 'UNAUTHENTICATED':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
      return HttpStatus.FORBIDDEN;
    case 'NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'CONFLICT':
    case 'DUPLICATE':
    case 'STALE_VERSION':
    case 'IN_USE':
    case 'PROTECTED':
    case 'RETIRED_CODE':
    case 'INELIGIBLE_REFERENCE':
    case 'LOCKED':
      return HttpStatus.CONFLICT;
    case 'PRECONDITION_REQUIRED':
      return HttpStatus.PRECONDITION_REQUIRED;
    case 'UNPROCESSABLE':
    case 'IDEMPOTENCY_KEY_REUSED':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'RATE_LIMITED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unknownCode: never = code;
      throw new Error(`Unmapped CRM error code ${String(unknownCode)}`);
    }
  }
}

/** Unique-key violations: MySQL/MariaDB, SQLite, PostgreSQL's SQLSTATE 23505 (`unique_violation`). */
const UNIQUE_VIOLATIONS = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
/** Foreign-key violations, either way round: MySQL/MariaDB, SQLite, PostgreSQL's 23503 (`foreign_key_violation`). */
const FOREIGN_KEY_VIOLATIONS = new Set([
  'ER_ROW_IS_REFERENCED_2',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED',
  'ER_NO_REFERENCED_ROW',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  '23503',
]);

/** Turns database constraint failures into domain errors; anything else stays unknown. */
export function fromDatabaseError(error: unknown): CrmError | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = String((error.driverError as { code?: string } | undefined)?.code ?? '');
  if (UNIQUE_VIOLATIONS.has(code)) return new CrmError('DUPLICATE', 'A record with the same unique value already exists');
  if (FOREIGN_KEY_VIOLATIONS.has(code)) return new CrmError('IN_USE', 'The change would break a reference between records');
  return undefined;
}

/**
 * A database that could not be reached, or stayed locked through every attempt of the transaction
 * runner, as a 503 `UNAVAILABLE` with a `Retry-After`; nothing the caller sent is at fault.
 */
export function unavailableFrom(error: unknown, retryAfterSeconds: number): CrmError | undefined {
  if (isDatabaseUnreachable(error)) {
    return new CrmError('UNAVAILABLE', `The database cannot be reached; nothing was changed by this request. Retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
  if (isTransactionConflict(error)) {
    return new CrmError('UNAVAILABLE', 'The database stayed locked by concurrent writes; nothing was changed by this request. Retry in 1 s', { retryAfterSeconds: 1 });
  }
  return undefined;
}

/**
 * The CRM's one exception filter, bound on CRM controllers only. Domain errors map by code;
 * database constraint failures become domain errors, an unreachable or deadlocked database a 503;
 * Nest HTTP errors keep their status; anything else is logged and answered 500 without internals.
 */
@Catch()
export class CrmExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Crm');
  private readonly retryAfterSeconds: number;

  constructor(@Optional() @Inject(CRM_OPTIONS) options?: ResolvedCrmOptions) {
    this.retryAfterSeconds = (options?.database ?? resolveDatabaseOptions()).unavailableRetryAfterSeconds;
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    const domain = this.toDomain(exception);
    const body = this.toBody(exception, domain);
    const retryAfter = domain?.details.retryAfterSeconds;
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    response.status(body.statusCode).json(body);
  }

  private toDomain(exception: unknown): CrmError | undefined {
    if (exception instanceof CrmError) return exception;
    const domain = fromDatabaseError(exception);
    if (domain) return domain;
    const unavailable = unavailableFrom(exception, this.retryAfterSeconds);
    if (unavailable) this.logger.warn(`${unavailable.message}: ${exception instanceof Error ? exception.message : String(exception)}`);
    return unavailable;
  }

  private toBody(exception: unknown, domain: CrmError | undefined): ErrorResponseDto {
    if (domain) {
      const { errors, ...details } = domain.details as { errors?: ErrorResponseDto['errors'] };
      return {
        statusCode: statusOf(domain.code),
        code: domain.code,
        message: domain.message,
        ...(errors ? { errors } : {}),
        ...(Object.keys(details).length ? { details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message = typeof payload === 'string' ? payload : String((payload as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, code: HttpStatus[status] ?? 'HTTP_ERROR', message };
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' };
  }
}
