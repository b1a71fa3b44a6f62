import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { fromDatabaseError } from '../../core/errors/crm-exception.filter';
import type { IntakeLeadDto } from './dto/intake-lead.dto';
import type { IntakeResultDto } from './dto/intake-result.dto';
import { IntakeIdempotency } from './intake-idempotency.entity';
import type { IntakeKey } from './intake-key.entity';
import { IntakePipeline } from './intake-pipeline.service';
import type { IntakeRecord } from './intake-record';
import { IntakeResponder } from './intake-responder.service';
import { RejectedIntakeService } from './rejected-intake.service';

const DEADLOCK_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const ATTEMPTS = 3;

/**
 * The intake API: one submission through the pipeline in one transaction. An `Idempotency-Key`
 * makes retries answer the first response; a source that matches nothing is a 422 and the
 * submission goes to the rejected-intake inbox.
 */
@Injectable()
export class IntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CrmTransactions,
    private readonly pipeline: IntakePipeline,
    private readonly responder: IntakeResponder,
    private readonly inbox: RejectedIntakeService,
  ) {}

  async submit(caller: CrmCaller, key: IntakeKey, dto: IntakeLeadDto, idempotencyKey: string | undefined): Promise<IntakeResultDto> {
    const record: IntakeRecord = { ...dto };
    const idempotency = idempotencyKey?.trim() || undefined;
    if (idempotency && idempotency.length > 120) throw CrmError.invalidField('Idempotency-Key', 'maxLength', 'Idempotency-Key must be at most 120 characters');
    try {
      return await this.retryingDeadlocks(() =>
        this.transactions.runReadCommitted(async (manager) => {
          const first = idempotency ? await this.firstAnswer(manager, key.id, idempotency) : undefined;
          if (first) return first;
          const result = await this.pipeline.ingestWithin(manager, caller, record, { defaultSourceId: key.defaultSourceId ?? undefined });
          const response = await this.responder.toDto(manager, result);
          if (idempotency) await manager.insert(IntakeIdempotency, { keyId: key.id, idempotencyKey: idempotency, response: response as never });
          return response;
        }),
      );
    } catch (error) {
      // A concurrent retry committed first: its lead stands and ours rolled back.
      const first = idempotency && fromDatabaseError(error)?.code === 'DUPLICATE' ? await this.firstAnswer(this.dataSource.manager, key.id, idempotency) : undefined;
      if (first) return first;
      if (!(error instanceof CrmError) || error.code !== 'UNPROCESSABLE') throw error;
      const rejectedId = await this.inbox.keep(key.id, record, error.message);
      throw new CrmError('UNPROCESSABLE', `${error.message}. The submission is kept (rejected intake ${rejectedId}) for a manager to map and replay`, {
        ...error.details,
        rejectedId,
      });
    }
  }

  private async firstAnswer(manager: EntityManager, keyId: number, idempotencyKey: string): Promise<IntakeResultDto | undefined> {
    const stored = await manager.findOne(IntakeIdempotency, { where: { keyId, idempotencyKey } });
    return stored ? (stored.response as unknown as IntakeResultDto) : undefined;
  }

  /** MySQL may pick one of two concurrent submissions as a deadlock victim; it is simply run again. */
  private async retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const code = error instanceof QueryFailedError ? String((error.driverError as { code?: string }).code) : '';
        if (attempt >= ATTEMPTS || !DEADLOCK_CODES.has(code)) throw error;
      }
    }
  }
}
