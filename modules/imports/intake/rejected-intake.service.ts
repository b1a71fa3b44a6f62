import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CrmCaller } from '../../core/access/crm-caller';
import { AuditLogService } from '../../core/audit/audit-log.service';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { CrmError } from '../../core/errors/crm-error';
import { mapPage, Page, toPage } from '../../core/http/page';
import { ListTotals } from '../../core/http/list-totals.service';
import type { IntakeResultDto } from './dto/intake-result.dto';
import { RejectedIntakeDto, type RejectedIntakeQueryDto } from './dto/rejected-intake.dto';
import { IntakeKey } from './intake-key.entity';
import { IntakePipeline } from './intake-pipeline.service';
import type { IntakeRecord } from './intake-record';
import { IntakeResponder } from './intake-responder.service';
import { RejectedIntake } from './rejected-intake.entity';

export const REJECTED_INTAKE_AUDIT_TYPE = 'intake_rejected';

/**
 * The inbox of submissions whose source matched nothing: kept so nothing is lost, listed for
 * managers, and put through the pipeline again once the mapping is fixed.
 */
@Injectable()
export class RejectedIntakeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly pipeline: IntakePipeline,
    private readonly responder: IntakeResponder,
    private readonly audit: AuditLogService,
  ) {}

  /** Keeps a refused submission; answers its inbox id. */
  async keep(manager: EntityManager, keyId: number | null, record: IntakeRecord, reason: string): Promise<number> {
    const { identifiers } = await manager.insert(RejectedIntake, {
      keyId,
      sourceText: typeof record.source === 'string' ? record.source.slice(0, 200) : null,
      reason: reason.slice(0, 2000),
      payload: record as never,
      status: 'pending',
      leadId: null,
      replayedAt: null,
    });
    return Number(identifiers[0].id);
  }

  async list(_caller: CrmCaller, query: RejectedIntakeQueryDto): Promise<Page<RejectedIntakeDto>> {
    const [items, total] = await this.totals.itemsAndTotal(
      this.dataSource.getRepository(RejectedIntake).createQueryBuilder().setFindOptions({
        where: { status: query.status ?? 'pending' },
        order: { id: 'DESC' },
        skip: (query.page - 1) * query.limit,
        take: query.limit,
      }),
    );
    return mapPage(toPage(items, total, query), RejectedIntakeDto.from);
  }

  /** Puts a kept submission through the pipeline again; still unmatched, it stays pending with the new reason (422). */
  async replay(caller: CrmCaller, id: number): Promise<IntakeResultDto> {
    try {
      return await this.transactions.runReadCommitted(async (manager) => {
        const rejected = await this.transactions.forUpdate(manager.createQueryBuilder(RejectedIntake, 'r').where('r.id = :id', { id })).getOne();
        if (!rejected) throw CrmError.notFound('Rejected intake', id);
        if (rejected.status === 'replayed') {
          throw new CrmError('CONFLICT', `Rejected intake ${id} was already replayed into lead ${rejected.leadId}`, { leadId: rejected.leadId });
        }
        const key = rejected.keyId ? await manager.findOne(IntakeKey, { where: { id: rejected.keyId } }) : null;
        const result = await this.pipeline.ingestWithin(manager, caller, rejected.payload, { defaultSourceId: key?.defaultSourceId ?? undefined });
        await manager.update(RejectedIntake, { id }, { status: 'replayed', leadId: result.leadId, replayedAt: new Date() });
        await this.audit.record(manager, caller, {
          entityType: REJECTED_INTAKE_AUDIT_TYPE,
          entityId: id,
          action: 'replay',
          changes: [
            { field: 'status', before: 'pending', after: 'replayed' },
            { field: 'leadId', before: null, after: result.leadId },
          ],
        });
        return this.responder.toDto(manager, result);
      });
    } catch (error) {
      if (!(error instanceof CrmError) || error.code !== 'UNPROCESSABLE') throw error;
      await this.dataSource.manager.update(RejectedIntake, { id }, { reason: error.message.slice(0, 2000) });
      throw new CrmError('UNPROCESSABLE', `${error.message}; it stays in the inbox`, { ...error.details, rejectedId: id });
    }
  }
}
