import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import type { CrmCaller } from '../core/access/crm-caller';
import { AuditLogService, diffFields } from '../core/audit/audit-log.service';
import { AuditEntryDto } from '../core/audit/dto/audit-entry.dto';
import { CrmTransactions } from '../core/database/crm-transactions.service';
import { LIKE_ESCAPE, likePattern } from '../core/database/like-pattern';
import { CrmError } from '../core/errors/crm-error';
import { mapPage, Page, PageQuery, toPage } from '../core/http/page';
import { ListTotals } from '../core/http/list-totals.service';
import { RecordVisibility, type VisibilityRule } from '../core/visibility/record-visibility.service';
import type { CreatePersonDto } from './dto/create-person.dto';
import { PersonDto } from './dto/person.dto';
import type { PersonQueryDto } from './dto/person-query.dto';
import type { UpdatePersonDto } from './dto/update-person.dto';
import { normalizeEmail } from './matching-keys';
import { Person } from './person.entity';
import { TeamMember } from './team-member.entity';
import { Team } from './team.entity';

export const PERSON_AUDIT_TYPE = 'person';

const AUDITED_PERSON_FIELDS = ['displayName', 'email', 'active', 'teamIds'] as const;

/**
 * A partner supervisor sees themself, the people of the teams they belong to (their partner's
 * desk), and the owners of the leads, customers and opportunities they see; not the rest of the staff.
 */
export const PERSON_VISIBILITY: VisibilityRule<Person> = {
  label: 'Person',
  entity: Person,
  condition: (p, scope) =>
    [
      `${p}.id = ${scope.caller}`,
      scope.exists(TeamMember, (m) => `${m}.personId = ${p}.id AND ${scope.exists(TeamMember, (mine) => `${mine}.teamId = ${m}.teamId AND ${mine}.personId = ${scope.caller}`)}`),
      scope.existsVisible('lead', (l) => `${l}.ownerId = ${p}.id`),
      scope.existsVisible('customer', (c) => `${c}.ownerId = ${p}.id`),
      scope.existsVisible('opportunity', (o) => `${o}.ownerId = ${p}.id`),
    ].join(' OR '),
};

/**
 * The people of the directory: the host's users the CRM knows by name, who can own records.
 * A caller needs no entry to use the CRM; an owner does (`assertActivePerson`).
 */
@Injectable()
export class PeopleService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
    private readonly transactions: CrmTransactions,
    private readonly audit: AuditLogService,
    private readonly visibility: RecordVisibility,
  ) {}

  /** Registers how a partner sees its records (`PERSON_VISIBILITY`). */
  onModuleInit(): void {
    this.visibility.register('person', PERSON_VISIBILITY);
  }

  async list(caller: CrmCaller, query: PersonQueryDto): Promise<Page<PersonDto>> {
    const qb = this.visibility.scope(this.dataSource.getRepository(Person).createQueryBuilder('p'), caller, 'person');
    if (query.active !== undefined) qb.andWhere('p.active = :active', { active: query.active });
    if (query.teamId !== undefined) {
      qb.andWhere((outer) => `p.id IN ${membersOf(outer, 'm.teamId = :teamId')}`, { teamId: query.teamId });
    }
    if (query.q) {
      const q = likePattern(query.q);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where(`LOWER(p.displayName) LIKE :q ${LIKE_ESCAPE}`, { q })
            .orWhere(`LOWER(p.id) LIKE :q ${LIKE_ESCAPE}`, { q })
            .orWhere(`LOWER(p.email) LIKE :q ${LIKE_ESCAPE}`, { q }),
        ),
      );
    }
    const [people, total] = await this.totals.itemsAndTotal(
      qb
        .orderBy('p.displayName', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .skip((query.page - 1) * query.limit)
        .take(query.limit),
    );
    await this.attachTeams(this.dataSource.manager, people);
    await this.hideInvisibleTeams(this.dataSource.manager, caller, people);
    return mapPage(toPage(people, total, query), PersonDto.from);
  }

  async get(caller: CrmCaller, id: string): Promise<PersonDto> {
    const person = await this.loadVisible(this.dataSource.manager, caller, id);
    await this.hideInvisibleTeams(this.dataSource.manager, caller, [person]);
    return PersonDto.from(person);
  }

  /** Who changed what and when, newest first. */
  async history(caller: CrmCaller, id: string, query: PageQuery): Promise<Page<AuditEntryDto>> {
    const person = await this.loadVisible(this.dataSource.manager, caller, id);
    return mapPage(await this.audit.history(PERSON_AUDIT_TYPE, id, query, async () => snapshot(person)), AuditEntryDto.from);
  }

  async create(caller: CrmCaller, dto: CreatePersonDto): Promise<PersonDto> {
    await this.transactions.run(async (manager) => {
      const existing = await manager.findOne(Person, { where: { id: dto.id } });
      if (existing) throw new CrmError('DUPLICATE', `person "${dto.id}" already exists`, { field: 'id', existingId: dto.id });
      const teamIds = unique(dto.teamIds ?? []);
      await this.assertTeamsExist(manager, teamIds);
      await manager.insert(Person, {
        id: dto.id,
        displayName: dto.displayName.trim(),
        email: normalizeEmail(dto.email),
        active: dto.active ?? true,
      });
      await this.replaceTeams(manager, dto.id, teamIds);
      await this.audit.recordCreated(manager, caller, PERSON_AUDIT_TYPE, [dto.id]);
    });
    return this.get(caller, dto.id);
  }

  async update(caller: CrmCaller, id: string, dto: UpdatePersonDto): Promise<PersonDto> {
    if (dto.displayName === null) throw CrmError.invalidField('displayName', 'required', 'displayName cannot be cleared');
    await this.transactions.run(async (manager) => {
      const person = await this.loadVisible(manager, caller, id, true);
      const before = snapshot(person);
      const teamIds = dto.teamIds === undefined ? before.teamIds : unique(dto.teamIds).sort((a, b) => a - b);
      if (dto.teamIds !== undefined) await this.assertTeamsExist(manager, teamIds);
      const after = {
        displayName: dto.displayName === undefined ? before.displayName : dto.displayName.trim(),
        email: dto.email === undefined ? before.email : normalizeEmail(dto.email),
        active: dto.active ?? before.active,
        teamIds,
      };
      const changes = diffFields(before, after, AUDITED_PERSON_FIELDS);
      if (changes.length === 0) return;
      const { teamIds: _t, ...columns } = after;
      await manager.update(Person, { id }, columns);
      if (dto.teamIds !== undefined) await this.replaceTeams(manager, id, teamIds);
      await this.audit.record(manager, caller, { entityType: PERSON_AUDIT_TYPE, entityId: id, action: 'update', changes });
    });
    return this.get(caller, id);
  }

  /**
   * The owner a record gets when its form names none: the first of `candidates` that is an active
   * person of the directory, else none. A caller needs no entry, so "the caller" is only a candidate.
   */
  async defaultOwner(manager: EntityManager, candidates: Array<string | null | undefined>): Promise<string | null> {
    for (const id of candidates) {
      if (id === null || id === undefined) continue;
      const person = await manager.findOne(Person, { where: { id: String(id) } });
      if (person?.active) return person.id;
    }
    return null;
  }

  /** A new owner set on a record: an active person; a record that has an owner is handed over, never left without one. */
  async assertOwnerChange(manager: EntityManager, personId: string | null, field: string, caller?: CrmCaller): Promise<void> {
    if (personId === null) throw CrmError.invalidField(field, 'activePerson', `${field} cannot be cleared; hand the record to an active person`);
    await this.assertActivePerson(manager, personId, field, caller);
  }

  /**
   * The person who will own a record: must exist and be active (400 naming `field` otherwise). Given
   * the `caller`, one the caller may not see is answered as one that does not exist: a partner hands
   * its records to its own people, and learns nothing of the staff's ids.
   */
  async assertActivePerson(manager: EntityManager, personId: string, field: string, caller?: CrmCaller): Promise<Person> {
    const missing = () => CrmError.invalidField(field, 'activePerson', `${field} "${personId}" is not a person of the directory`);
    const person = await manager.findOne(Person, { where: { id: String(personId) } });
    if (!person) throw missing();
    if (caller) await this.visibility.requireReference(manager, caller, 'person', person.id, missing);
    if (!person.active) throw CrmError.invalidField(field, 'activePerson', `${field} "${personId}" is inactive; pick an active person`);
    return person;
  }

  /** The active people of any of these teams, each once, ordered by id. */
  async activeMembersOfTeams(manager: EntityManager, teamIds: number[]): Promise<Person[]> {
    if (teamIds.length === 0) return [];
    return manager
      .createQueryBuilder(Person, 'p')
      .where('p.active = :active', { active: true })
      .andWhere((outer) => `p.id IN ${membersOf(outer, 'm.teamId IN (:...teamIds)')}`, { teamIds: unique(teamIds) })
      .orderBy('p.id', 'ASC')
      .getMany();
  }

  private async load(manager: EntityManager, id: string, lock = false): Promise<Person> {
    const person = await this.transactions.loadOrFail(manager, Person, { id }, { label: 'Person', id, lock });
    await this.attachTeams(manager, [person]);
    return person;
  }

  private async loadVisible(manager: EntityManager, caller: CrmCaller, id: string, lock = false): Promise<Person> {
    const person = await this.load(manager, id, lock);
    await this.visibility.requireVisible(manager, caller, 'person', id);
    return person;
  }

  /** A partner is shown, of a person's teams, only those it may see (an owner's other teams are the staff's). */
  private async hideInvisibleTeams(manager: EntityManager, caller: CrmCaller, people: Person[]): Promise<void> {
    if (people.length === 0 || !this.visibility.restricts(caller, 'team')) return;
    const teams = await this.visibility.scope(manager.createQueryBuilder(Team, 't').select('t.id'), caller, 'team').getMany();
    const visible = new Set(teams.map((team) => team.id));
    for (const person of people) person.teamIds = (person.teamIds ?? []).filter((id) => visible.has(id));
  }

  private async attachTeams(manager: EntityManager, people: Person[]): Promise<void> {
    if (people.length === 0) return;
    const memberships = await manager.find(TeamMember, {
      where: { personId: In(people.map((p) => p.id)) },
      order: { teamId: 'ASC' },
    });
    for (const person of people) person.teamIds = memberships.filter((m) => m.personId === person.id).map((m) => m.teamId);
  }

  private async assertTeamsExist(manager: EntityManager, teamIds: number[]): Promise<void> {
    if (teamIds.length === 0) return;
    const found = await manager.find(Team, { select: { id: true }, where: { id: In(teamIds) } });
    const missing = teamIds.filter((id) => !found.some((t) => t.id === id));
    if (missing.length) throw CrmError.invalidField('teamIds', 'exists', `teamIds lists unknown teams: ${missing.join(', ')}`);
  }

  private async replaceTeams(manager: EntityManager, personId: string, teamIds: number[]): Promise<void> {
    await manager.delete(TeamMember, { personId });
    if (teamIds.length) await manager.insert(TeamMember, teamIds.map((teamId) => ({ teamId, personId })));
  }
}

function snapshot(person: Person) {
  return { displayName: person.displayName, email: person.email, active: person.active, teamIds: person.teamIds ?? [] };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** `(SELECT m.personId FROM crm_team_member m WHERE <where>)`, built so its names are quoted as the driver needs (PostgreSQL folds bare ones to lower case). */
function membersOf(outer: SelectQueryBuilder<Person>, where: string): string {
  return outer.subQuery().select('m.personId').from(TeamMember, 'm').where(where).getQuery();
}
