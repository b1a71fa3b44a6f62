import { Inject, Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { CrmError } from '../../core/errors/crm-error';
import { CRM_OPTIONS, type ResolvedCrmOptions } from '../../core/options/crm-module-options';

/**
 * The per-key limit of the intake API: the host's shared limiter (`intake.rateLimiter`), or else
 * `intake.rateLimitPoints` per `intake.rateLimitWindowSeconds` kept in this process's memory.
 */
@Injectable()
export class IntakeRateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(@Inject(CRM_OPTIONS) options: ResolvedCrmOptions) {
    this.limiter = options.intake.rateLimiter ?? new RateLimiterMemory({ points: options.intake.rateLimitPoints, duration: options.intake.rateLimitWindowSeconds });
  }

  /** Takes one submission from the key's allowance; 429 with `Retry-After` when it is spent. */
  async consume(keyId: number): Promise<void> {
    try {
      await this.limiter.consume(String(keyId));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new CrmError('RATE_LIMITED', `Too many submissions with this API key; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }
}
