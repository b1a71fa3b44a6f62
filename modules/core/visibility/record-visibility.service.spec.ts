import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CrmCaller } from '../access/crm-caller';
import { CrmError } from '../errors/crm-error';
import { RecordVisibility, VISIBLE_PARTNER } from './record-visibility.service';

@Entity('vis_parent')
class Parent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int', nullable: true }) partnerCompanyId: number | null;
}

@Entity('vis_child')
class Child {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int', nullable: true }) parentId: number | null;
}

@Entity('vis_catalogue')
class Catalogue {
  @PrimaryGeneratedColumn() id: number;
}

const staff: CrmCaller = { id: 'staff', roles: [], permissions: new Set(), partnerCompanyId: null };
const partner = (id: number): CrmCaller => ({ ...staff, id: `partner${id}`, partnerCompanyId: id });

describe('RecordVisibility', () => {
  let dataSource: DataSource;
  const visibility = new RecordVisibility();
  visibility.register('parent', { label: 'Parent', entity: Parent, condition: (p) => `${p}.partnerCompanyId = ${VISIBLE_PARTNER}` });
  // A child is seen through its parent: a nested rule, each EXISTS with an alias of its own.
  visibility.register('child', { label: 'Child', entity: Child, condition: (c, scope) => scope.existsVisible('parent', (p) => `${p}.id = ${c}.parentId`) });
  visibility.register('catalogue', { label: 'Entry', entity: Catalogue, shared: true });

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Parent, Child, Catalogue], synchronize: true }).initialize();
    await dataSource.getRepository(Parent).insert([{ partnerCompanyId: 1 }, { partnerCompanyId: 2 }, { partnerCompanyId: null }]);
    await dataSource.getRepository(Child).insert([{ parentId: 1 }, { parentId: 2 }, { parentId: 3 }, { parentId: 1 }]);
    await dataSource.getRepository(Catalogue).insert([{}, {}]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  const ids = async (caller: CrmCaller, kind: string, entity: typeof Parent | typeof Child | typeof Catalogue) =>
    (await visibility.scope(dataSource.getRepository(entity).createQueryBuilder('r'), caller, kind).orderBy('r.id').getMany()).map((r) => r.id);

  it('adds nothing for a caller without a partner company, nor for a shared kind', async () => {
    const qb = dataSource.getRepository(Child).createQueryBuilder('r');
    const before = qb.getQuery();
    expect(visibility.scope(qb, staff, 'child').getQuery()).toBe(before);
    await expect(ids(staff, 'child', Child)).resolves.toEqual([1, 2, 3, 4]);
    await expect(ids(partner(1), 'catalogue', Catalogue)).resolves.toEqual([1, 2]);
  });

  it("narrows a partner's query to its records, through nested rules too, with totals to match", async () => {
    await expect(ids(partner(1), 'parent', Parent)).resolves.toEqual([1]);
    await expect(ids(partner(1), 'child', Child)).resolves.toEqual([1, 4]);
    await expect(ids(partner(2), 'child', Child)).resolves.toEqual([2]);
    await expect(visibility.scope(dataSource.getRepository(Child).createQueryBuilder('r'), partner(1), 'child').getCount()).resolves.toBe(2);
  });

  it('answers a record the caller may not see exactly as a missing one', async () => {
    const manager = dataSource.manager;
    await expect(visibility.requireVisible(manager, partner(1), 'child', 4)).resolves.toBeUndefined();
    for (const id of [2, 99]) {
      await expect(visibility.requireVisible(manager, partner(1), 'child', id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Child ${id} was not found` });
    }
    const missing = () => CrmError.invalidField('parentId', 'exists', 'parentId is not a known parent');
    await expect(visibility.requireReference(manager, partner(2), 'parent', 1, missing)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { errors: [{ field: 'parentId' }] } });
    await expect(visibility.requireReference(manager, staff, 'parent', 1, missing)).resolves.toBeUndefined();
  });

  it('refuses a kind nobody registered: a programming error, not a silent pass', () => {
    expect(() => visibility.scope(dataSource.getRepository(Child).createQueryBuilder('r'), partner(1), 'nothing')).toThrow('No visibility rule is registered for "nothing"');
    expect(visibility.kinds()).toEqual(['parent', 'child', 'catalogue']);
  });
});
