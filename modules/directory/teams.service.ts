import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility, type VisibilityRule } from '../core/visibility/record-visibility.service';
import type { CreateTeamDto } from './dto/create-team.dto';
import { TeamDto } from './dto/team.dto';
import type { TeamQueryDto } from './dto/team-query.dto';
import type { UpdateTeamDto } from './dto/update-team.dto';
import { Person } from './person.entity';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';

export const TEAM_AUDIT_TYPE = 'team';

const AUDITED_TEAM_FIELDS = ['name', 'active', 'memberIds'] as const;

/** A partner supervisor sees the teams they belong to (a partner's desk), no others. */
export const TEAM_VISIBILITY: VisibilityRule<Team> = {
  label: 'Team',
  entity: Team,
  condition: (t, scope) => scope.exists(TeamMember, (m) => `${m}.teamId = ${t}.id AND ${m}.personId = ${scope.caller}`),
};

/** Teams and their members, kept by managers. */
@Injectable()
export class TeamsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  /** Registers how a partner sees its records (`TEAM_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('team', TEAM_VISIBILITY);
  }

  async list(caller: CrmCaller, query: TeamQueryDto): Promise<Page<TeamDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Team).createQueryBuilder('t'), caller, 'team');
    if (!query.includeInactive) qb.andWhere('t.active = :active', { active: true });
    if (query.q) qb.andWhere(`LOWER(t.name) LIKE :q ${LIKE_ESCAPE}`, { q: likePattern(query.q) });
    const [teams, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('t.name', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    await this.attachMembers(this.dataSource.manager, teams);
    return mapPage(toPage(teams, total, query), TeamDto.from);
  }

  async get(caller: CrmCaller, id: number): Promise<TeamDto> {
    const manager = this.dataSource.manager;
    const team = await this.load(manager, id);
    await this.visibility.requireVisible(manager, caller, 'team', id);
    return TeamDto.from(team);
  }

  /** Who changed what and when, newest first. */
  async history(caller: CrmCaller, id: number, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const team = await this.load(this.dataSource.manager, id);
    await this.visibility.requireVisible(this.dataSource.manager, caller, 'team', id);
    return mapPage(await this.audit.history(TEAM_AUDIT_TYPE, id, query, async () => auditedTeam(team)), AuditEntryDto.from);
  }

  async create(caller: CrmCaller, dto: CreateTeamDto): Promise<TeamDto> {
    const id = await this.transactions.run(async (manager) => {
      const name = dto.name.trim();
      await this.assertNameFree(manager, name);
      const memberIds = sortedUnique(dto.memberIds ?? []);
      await this.assertPeopleExist(manager, memberIds);
      const { identifiers } = await manager.insert(Team, { name, active: dto.active ?? true });
      const teamId = Number(identifiers[0].id);
      await this.replaceMembers(manager, teamId, memberIds);
      await this.audit.recordCreated(manager, caller, TEAM_AUDIT_TYPE, [teamId]);
      return teamId;
    });
    return this.get(caller, id);
  }

  async update(caller: CrmCaller, id: number, dto: UpdateTeamDto): Promise<TeamDto> {
    if (dto.name === null) throw CrmError.invalidField('name', 'required', 'name cannot be cleared');
    await this.transactions.run(async (manager) => {
      const team = await this.load(manager, id, true);
      await this.visibility.requireVisible(manager, caller, 'team', id);
      const before = auditedTeam(team);
      const after = {
        name: dto.name === undefined ? before.name : dto.name.trim(),
        active: dto.active ?? before.active,
        memberIds: dto.memberIds === undefined ? before.memberIds : sortedUnique(dto.memberIds),
      };
      if (after.name !== before.name) await this.assertNameFree(manager, after.name, id);
      if (dto.memberIds !== undefined) await this.assertPeopleExist(manager, after.memberIds);
      const changes = diffFields(before, after, AUDITED_TEAM_FIELDS);
      if (changes.length === 0) return;
      await manager.update(Team, { id }, { name: after.name, active: after.active });
      if (dto.memberIds !== undefined) await this.replaceMembers(manager, id, after.memberIds);
      await this.audit.record(manager, caller, { entityType: TEAM_AUDIT_TYPE, entityId: id, action: 'update', changes });
    });
    return this.get(caller, id);
  }

  private async load(manager: EntityManager, id: number, lock = false): Promise<Team> {
    const query = manager.createQueryBuilder(Team, 't').where('t.id = :id', { id });
    const team = await (lock ? this.transactions.forUpdate(query) : query).getOne();
    if (!team) throw CrmError.notFound('Team', id);
    await this.attachMembers(manager, [team]);
    return team;
  }

  /** Names are unique ignoring case on every database (MySQL collations would, SQLite would not). */
  private async assertNameFree(manager: EntityManager, name: string, exceptId?: number): Promise<void> {
    const holder = await manager
      .createQueryBuilder(Team, 't')
      .where('LOWER(t.name) = :name', { name: name.toLowerCase() })
      .andWhere(exceptId ? { id: Not(exceptId) } : {})
      .getOne();
    if (holder) throw new CrmError('DUPLICATE', `team name "${name}" is already used by team ${holder.id}`, { field: 'name', existingId: holder.id });
  }

  private async assertPeopleExist(manager: EntityManager, personIds: string[]): Promise<void> {
    if (personIds.length === 0) return;
    const found = await manager.find(Person, { select: { id: true }, where: { id: In(personIds) } });
    const missing = personIds.filter((id) => !found.some((p) => p.id === id));
    if (missing.length) throw CrmError.invalidField('memberIds', 'exists', `memberIds lists unknown people: ${missing.join(', ')}`);
  }

  private async attachMembers(manager: EntityManager, teams: Team[]): Promise<void> {
    if (teams.length === 0) return;
    const memberships = await manager.find(TeamMember, { where: { teamId: In(teams.map((t) => t.id)) } });
    for (const team of teams) team.memberIds = memberships.filter((m) => m.teamId === team.id).map((m) => m.personId).sort();
  }

  private async replaceMembers(manager: EntityManager, teamId: number, personIds: string[]): Promise<void> {
    await manager.delete(TeamMember, { teamId });
    if (personIds.length) await manager.insert(TeamMember, personIds.map((personId) => ({ teamId, personId })));
  }
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** A team's audited fields (its members' ids sorted, as the log records them). */
function auditedTeam(team: Team): { name: string; active: boolean; memberIds: string[] } {
  return { name: team.name, active: team.active, memberIds: team.memberIds ?? [] };
}
