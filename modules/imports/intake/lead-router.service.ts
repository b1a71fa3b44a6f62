import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CrmTransactions } from '../../core/database/crm-transactions.service';
import { Person } from '../../directory/person.entity';
import { PeopleService } from '../../directory/people.service';
import { Team } from '../../directory/team.entity';
import type { Source } from '../../sources/source.entity';
import { RoutingCursor } from './routing-cursor.entity';

/**
 * Picks the owner of a lead that arrives by itself, by its source's routing mode: one person, or
 * the active members of the source's active teams in turn (round-robin), else the fallback person.
 */
@Injectable()
export class LeadRouter {
  constructor(
    private readonly people: PeopleService,
    private readonly transactions: CrmTransactions,
  ) {}

  async ownerFor(manager: EntityManager, source: Source): Promise<string | null> {
    if (source.routingMode === 'person' && source.routingPersonId && (await this.isActive(manager, source.routingPersonId))) {
      return source.routingPersonId;
    }
    if (source.routingMode === 'teams') {
      const members = await this.eligibleMembers(manager, source.routingTeamIds ?? []);
      if (members.length) return members[(await this.nextTurn(manager, source.id)) % members.length].id;
    }
    if (source.routingMode !== 'none' && source.fallbackPersonId && (await this.isActive(manager, source.fallbackPersonId))) {
      return source.fallbackPersonId;
    }
    return null;
  }

  private async eligibleMembers(manager: EntityManager, teamIds: number[]): Promise<Person[]> {
    if (teamIds.length === 0) return [];
    const active = await manager.find(Team, { select: { id: true }, where: { id: In(teamIds), active: true } });
    return this.people.activeMembersOfTeams(manager, active.map((t) => t.id));
  }

  /**
   * Takes the source's next turn (0, 1, 2, ...). The counter is bumped by an UPDATE, which row-locks
   * it until the lead's transaction ends, so concurrent leads queue on it and each gets its own turn
   * (SQLite's transactions are serialised anyway). The row is created on the source's first lead only:
   * an insert on every lead would take shared locks that deadlock concurrent bumps on MySQL.
   */
  private async nextTurn(manager: EntityManager, sourceId: number): Promise<number> {
    if (!(await this.bump(manager, sourceId))) {
      await manager.createQueryBuilder().insert().into(RoutingCursor).values({ sourceId, turn: 0 }).orIgnore().execute();
      await this.bump(manager, sourceId);
    }
    const cursor = await this.transactions.forUpdate(manager.createQueryBuilder(RoutingCursor, 'c').where('c.sourceId = :sourceId', { sourceId })).getOneOrFail();
    return cursor.turn - 1;
  }

  private async bump(manager: EntityManager, sourceId: number): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(RoutingCursor)
      .set({ turn: () => 'turn + 1' })
      .where('sourceId = :sourceId', { sourceId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async isActive(manager: EntityManager, personId: string): Promise<boolean> {
    const person = await manager.findOne(Person, { select: { id: true, active: true }, where: { id: personId } });
    return person?.active === true;
  }
}
