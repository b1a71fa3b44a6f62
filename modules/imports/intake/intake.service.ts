import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { fromDatabaseError } from '../../core/errors/crm-exception.filter';
import type { IntakeLeadDto } from './dto/intake-lead.dto';
import type { IntakeResultDto } from './dto/intake-result.dto';
import { type IdempotencyBinding, type IntakeAnswer, IntakeIdempotencyService } from './intake-idempotency.service';
import type { IntakeKey } from './intake-key.entity';
import { IntakePipeline } from './intake-pipeline.service';
import type { IntakeRecord } from './intake-record';
import { IntakeResponder } from './intake-responder.service';
import { RejectedIntakeService } from './rejected-intake.service';

/**
 * The intake API: one submission through the pipeline in one transaction. An `Idempotency-Key`
 * makes retries of the same body answer the first answer, a rejection included (see
 * `IntakeIdempotencyService`); a source that matches nothing is a 422 and the submission goes to
 * the rejected-intake inbox, once per key.
 */
@Injectable()
export class IntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: CrmTransactions,
    private readonly pipeline: IntakePipeline,
    private readonly responder: IntakeResponder,
    private readonly inbox: RejectedIntakeService,
    private readonly idempotency: IntakeIdempotencyService,
  ) {}

  async submit(caller: CrmCaller, key: IntakeKey, dto: IntakeLeadDto, idempotencyKey: string | undefined): Promise<IntakeResultDto> {
    const record: IntakeRecord = { ...dto };
    const binding = this.idempotency.bind(key.id, idempotencyKey, record);
    const answer = await this.answer(caller, key, record, binding);
    if (answer instanceof CrmError) throw answer;
    return answer;
  }

  private async answer(caller: CrmCaller, key: IntakeKey, record: IntakeRecord, binding: IdempotencyBinding | undefined): Promise<IntakeAnswer> {
    try {
      // Two concurrent submissions may deadlock; the transaction runner takes the loser again.
      return await this.transactions.runReadCommitted(async (manager) => {
        const first = binding ? await this.idempotency.find(manager, binding) : undefined;
        if (first) return first;
        const result = await this.pipeline.ingestWithin(manager, caller, record, { defaultSourceId: key.defaultSourceId ?? undefined });
        const response = await this.responder.toDto(manager, result);
        if (binding) await this.idempotency.keep(manager, binding, response);
        return response;
      });
    } catch (error) {
      const first = binding ? await this.concurrentAnswer(error, binding) : undefined;
      if (first) return first;
      if (!(error instanceof CrmError) || error.code !== 'UNPROCESSABLE') throw error;
      return this.reject(key, record, error, binding);
    }
  }

  /** Keeps a submission intake could not take in the inbox and, with a key, its rejection under the key: a retry is not kept twice. */
  private async reject(key: IntakeKey, record: IntakeRecord, error: CrmError, binding: IdempotencyBinding | undefined): Promise<IntakeAnswer> {
    const rejection = (rejectedId: number) =>
      new CrmError('UNPROCESSABLE', `${error.message}. The submission is kept (rejected intake ${rejectedId}) for a manager to map and replay`, { ...error.details, rejectedId });
    try {
      return await this.transactions.run(async (manager) => {
        const first = binding ? await this.idempotency.find(manager, binding) : undefined;
        if (first) return first;
        const rejected = rejection(await this.inbox.keep(manager, key.id, record, error.message));
        if (binding) await this.idempotency.keep(manager, binding, rejected);
        return rejected;
      });
    } catch (failure) {
      const first = binding ? await this.concurrentAnswer(failure, binding) : undefined;
      if (first) return first;
      throw failure;
    }
  }

  /** A concurrent retry kept its answer first (our insert hit the key's unique index): its answer stands and our writes rolled back. */
  private async concurrentAnswer(error: unknown, binding: IdempotencyBinding): Promise<IntakeAnswer | undefined> {
    if (fromDatabaseError(error)?.code !== 'DUPLICATE') return undefined;
    return this.idempotency.find(this.dataSource.manager, binding);
  }
}
