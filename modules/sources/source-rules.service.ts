import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CrmError } from '../core/errors/crm-error';
import { ListEntriesService } from '../directory/list-entries.service';
import { PeopleService } from '../directory/people.service';
import { Team } from '../directory/team.entity';
import { SourceRoutingTeam } from './source-routing-team.entity';
import type { Source } from './source.entity';

/** A source's intake rules as they will be once a create or update is applied. */
export type SourceRulesDraft = Pick<
  Source,
  'routingMode' | 'routingPersonId' | 'fallbackPersonId' | 'defaultMarketingCampaignId' | 'defaultSalesDirectionId'
> & { routingTeamIds: number[] };

/**
 * The rules a source applies to leads that arrive by themselves (routing, fallback owner, default
 * campaign and sales direction). A reference is checked when set or changed, so a source keeps a
 * person or list entry archived since.
 */
@Injectable()
export class SourceRules {
  constructor(
    private readonly people: PeopleService,
    private readonly lists: ListEntriesService,
  ) {}

  async check(manager: EntityManager, next: SourceRulesDraft, current: Source | null): Promise<void> {
    if (next.routingMode === 'person' && !next.routingPersonId) {
      throw CrmError.invalidField('routingPersonId', 'requiredForRoutingMode', 'routingPersonId is required when routingMode is person');
    }
    if (next.routingMode === 'teams' && next.routingTeamIds.length === 0) {
      throw CrmError.invalidField('routingTeamIds', 'requiredForRoutingMode', 'routingTeamIds must name at least one team when routingMode is teams');
    }
    if (next.routingPersonId && next.routingPersonId !== current?.routingPersonId) {
      await this.people.assertActivePerson(manager, next.routingPersonId, 'routingPersonId');
    }
    if (next.fallbackPersonId && next.fallbackPersonId !== current?.fallbackPersonId) {
      await this.people.assertActivePerson(manager, next.fallbackPersonId, 'fallbackPersonId');
    }
    await this.assertTeamsExist(manager, next.routingTeamIds.filter((id) => !(current?.routingTeamIds ?? []).includes(id)));
    if (next.defaultMarketingCampaignId) {
      await this.lists.assertUsable(manager, 'marketing_campaign', next.defaultMarketingCampaignId, current?.defaultMarketingCampaignId, 'defaultMarketingCampaignId');
    }
    if (next.defaultSalesDirectionId) {
      await this.lists.assertUsable(manager, 'sales_direction', next.defaultSalesDirectionId, current?.defaultSalesDirectionId, 'defaultSalesDirectionId');
    }
  }

  async replaceRoutingTeams(manager: EntityManager, sourceId: number, teamIds: number[]): Promise<void> {
    await manager.delete(SourceRoutingTeam, { sourceId });
    if (teamIds.length) await manager.insert(SourceRoutingTeam, teamIds.map((teamId) => ({ sourceId, teamId })));
  }

  private async assertTeamsExist(manager: EntityManager, teamIds: number[]): Promise<void> {
    if (teamIds.length === 0) return;
    const found = await manager.find(Team, { select: { id: true }, where: { id: In(teamIds) } });
    const missing = teamIds.filter((id) => !found.some((t) => t.id === id));
    if (missing.length) throw CrmError.invalidField('routingTeamIds', 'exists', `routingTeamIds lists unknown teams: ${missing.join(', ')}`);
  }
}

/** Team ids each once, ascending, so equal sets compare equal in the audit log. */
export function normalizeTeamIds(ids: number[] | undefined): number[] {
  return [...new Set(ids ?? [])].sort((a, b) => a - b);
}
