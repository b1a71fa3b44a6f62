import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Source } from '../../sources/source.entity';
import type { IntakeResultDto, IntakeResultStatus } from './dto/intake-result.dto';
import type { IntakeResult } from './intake-pipeline.service';

/**
 * The intake's answer: what happened to the submission, never what is stored about the person.
 * Whoever holds an intake key (a web form's is public) must learn nothing it did not send, so the
 * answer has no contact, company, owner or matched lead; an agent reads those on the lead.
 */
@Injectable()
export class IntakeResponder {
  async toDto(manager: EntityManager, result: IntakeResult): Promise<IntakeResultDto> {
    const source = await manager.findOneOrFail(Source, { where: { id: result.sourceId } });
    return { status: publicStatus(result), leadId: result.leadId, sourceId: source.id, sourceCode: source.code, rules: result.rules };
  }
}

/**
 * The pipeline's outcome as the sender may see it. A refreshed lead is `updated` whether or not a
 * field differed: telling "nothing differed" would tell the sender what the stored lead holds.
 */
export function publicStatus(result: Pick<IntakeResult, 'status' | 'duplicate' | 'rules'>): IntakeResultStatus {
  if (result.status === 'created') return result.duplicate ? 'duplicate' : 'created';
  return result.rules.includes('leadClosed') ? 'duplicate' : 'updated';
}
