import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CrmError, type CrmErrorCode } from '../../core/errors/crm-error';
import type { IntakeResultDto } from './dto/intake-result.dto';
import { IntakeIdempotency } from './intake-idempotency.entity';
import type { IntakeRecord } from './intake-record';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 120;

/** A submission's `Idempotency-Key`, bound to its API key and to a hash of its body. */
export interface IdempotencyBinding {
  keyId: number;
  idempotencyKey: string;
  requestHash: string;
}

/** What a submission was answered: its result, or the rejection (422) it was refused with. */
export type IntakeAnswer = IntakeResultDto | CrmError;

/**
 * The `Idempotency-Key` of the intake API, as Stripe and the IETF draft define it: the first answer to
 * a key (a success or a 422 rejection) is kept and given to every retry carrying the same body; the
 * same key with another body is refused (422 `IDEMPOTENCY_KEY_REUSED`) instead of dropping that body.
 */
@Injectable()
export class IntakeIdempotencyService {
  /** The binding of a submission, or none without a key; a key over 120 characters is a 400. */
  bind(keyId: number, header: string | undefined, record: IntakeRecord): IdempotencyBinding | undefined {
    const idempotencyKey = header?.trim();
    if (!idempotencyKey) return undefined;
    if (idempotencyKey.length > MAX_KEY_LENGTH) {
      throw CrmError.invalidField(IDEMPOTENCY_KEY_HEADER, 'maxLength', `${IDEMPOTENCY_KEY_HEADER} must be at most ${MAX_KEY_LENGTH} characters`);
    }
    return { keyId, idempotencyKey, requestHash: requestHash(record) };
  }

  /** The answer kept under the key, if any; kept for another body, a 422 naming the header. */
  async find(manager: EntityManager, binding: IdempotencyBinding): Promise<IntakeAnswer | undefined> {
    const stored = await manager.findOne(IntakeIdempotency, { where: { keyId: binding.keyId, idempotencyKey: binding.idempotencyKey } });
    if (!stored) return undefined;
    // Records kept before requests were bound have no hash: they answer any body, as they did.
    if (stored.requestHash !== null && stored.requestHash !== binding.requestHash) throw reused(binding.idempotencyKey, stored.createdAt);
    if (stored.statusCode === 200) return stored.response as unknown as IntakeResultDto;
    const { code, message, details } = stored.response as { code: CrmErrorCode; message: string; details?: Record<string, unknown> };
    return new CrmError(code, message, details ?? {});
  }

  /** Keeps the answer under the key, in the transaction that wrote what it reports (a unique index settles concurrent retries). */
  async keep(manager: EntityManager, binding: IdempotencyBinding, answer: IntakeAnswer): Promise<void> {
    const rejected = answer instanceof CrmError;
    await manager.insert(IntakeIdempotency, {
      ...binding,
      statusCode: rejected ? 422 : 200,
      response: (rejected ? { code: answer.code, message: answer.message, details: answer.details } : answer) as never,
    });
  }
}

/**
 * SHA-256 of the body as the intake reads it: fields in name order, absent and null fields left out,
 * so a retry serialised another way (key order, `null` for absent) is the same request.
 */
export function requestHash(record: IntakeRecord): string {
  const fields = Object.entries(record)
    .filter(([, value]) => value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function reused(idempotencyKey: string, firstAt: Date): CrmError {
  const message = `${IDEMPOTENCY_KEY_HEADER} "${idempotencyKey}" was already used for a different request; send a new key for a new submission, or the same body to retry`;
  return new CrmError('IDEMPOTENCY_KEY_REUSED', message, {
    field: IDEMPOTENCY_KEY_HEADER,
    firstUsedAt: new Date(firstAt).toISOString(),
    errors: [{ field: IDEMPOTENCY_KEY_HEADER, rule: 'sameRequest', message }],
  });
}
