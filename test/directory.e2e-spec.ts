import { CompaniesService, ContactsService, ListEntriesService, PeopleService } from '../modules';
import { TestApp } from './harness/test-app';

describe('Directory (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(async () => {
    await t?.close();
  });

  const auditActions = async (entityType: string, entityId: string | number): Promise<string[]> => {
    const rows: { action: string }[] = await t.query('SELECT action FROM crm_audit_entry WHERE entityType = ? AND entityId = ? ORDER BY id', [
      entityType,
      String(entityId),
    ]);
    return rows.map((r) => r.action);
  };

  describe('access', () => {
    it.each(['/crm/people', '/crm/teams', '/crm/companies', '/crm/contacts', '/crm/sales-directions', '/crm/products', '/crm/marketing-campaigns', '/crm/content-channels'])(
      '%s: 401 without a caller, 403 without directory.read, 200 for agents and partners',
      async (url) => {
        await t.as('anonymous').get(url).expect(401);
        const outsider = await t.as('outsider').get(url).expect(403);
        expect(outsider.body.message).toContain('directory.read');
        await t.as('agent').get(url).expect(200);
        await t.as('partner').get(url).expect(200);
      },
    );

    it('lets agents and partners write companies and contacts, but not people, teams or lists', async () => {
      await t.as('agent').post('/crm/people', { id: 'x1', displayName: 'X' }).expect(403);
      await t.as('partner').post('/crm/teams', { name: 'Rogue team' }).expect(403);
      await t.as('agent').post('/crm/products', { name: 'Rogue product' }).expect(403);
      await t.as('anonymous').post('/crm/companies', { name: 'Anon Co', website: 'anon.example', tin: '111111111' }).expect(401);
      await t.as('partner').post('/crm/companies', { name: 'Partner Made Co', website: 'partner-made.example', tin: '111111112' }).expect(201);
      await t.as('agent').post('/crm/contacts', { firstName: 'Agent', lastName: 'Made' }).expect(201);
    });
  });

  describe('people and teams', () => {
    it('a manager adds people under the host user id, audited; the id is unique', async () => {
      const res = await t.as('manager').post('/crm/people', { id: 'agent', displayName: ' Alice Agent ', email: 'Alice@Example.com' }).expect(201);
      expect(res.body).toMatchObject({ id: 'agent', displayName: 'Alice Agent', email: 'alice@example.com', active: true, teamIds: [] });
      await t.as('manager').post('/crm/people', { id: 'bob', displayName: 'Bob Builder' }).expect(201);
      await t.as('manager').post('/crm/people', { id: 'carol', displayName: 'Carol Closer', active: false }).expect(201);
      const dup = await t.as('manager').post('/crm/people', { id: 'agent', displayName: 'Again' }).expect(409);
      expect(dup.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'id', existingId: 'agent' } });
      await expect(auditActions('person', 'agent')).resolves.toEqual(['create']);
    });

    it('refuses bad people with 400 naming the field and rule', async () => {
      const blank = await t.as('manager').post('/crm/people', { id: 'dave', displayName: '   ' }).expect(400);
      expect(blank.body.errors).toEqual([expect.objectContaining({ field: 'displayName', rule: 'matches' })]);
      const email = await t.as('manager').post('/crm/people', { id: 'dave', displayName: 'Dave', email: 'nope' }).expect(400);
      expect(email.body.errors).toEqual([expect.objectContaining({ field: 'email', rule: 'isEmail' })]);
      const team = await t.as('manager').post('/crm/people', { id: 'dave', displayName: 'Dave', teamIds: [9999] }).expect(400);
      expect(team.body.errors).toEqual([expect.objectContaining({ field: 'teamIds', rule: 'exists' })]);
      await t.as('manager').get('/crm/people/dave').expect(404);
    });

    it('a manager keeps teams with their members; names are unique ignoring case', async () => {
      const team = await t.as('manager').post('/crm/teams', { name: 'North Sales', memberIds: ['bob', 'agent', 'agent'] }).expect(201);
      expect(team.body).toMatchObject({ name: 'North Sales', active: true, memberIds: ['agent', 'bob'] });
      const dup = await t.as('manager').post('/crm/teams', { name: ' north sales ' }).expect(409);
      expect(dup.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'name', existingId: team.body.id } });
      const unknown = await t.as('manager').post('/crm/teams', { name: 'South', memberIds: ['nobody'] }).expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'memberIds', rule: 'exists' })]);

      const south = await t.as('manager').post('/crm/teams', { name: 'South Sales' }).expect(201);
      const moved = await t.as('manager').patch('/crm/people/carol', { teamIds: [south.body.id, team.body.id] }).expect(200);
      expect(moved.body.teamIds).toEqual([team.body.id, south.body.id].sort((a, b) => a - b));
      const members = await t.as('agent').get(`/crm/people?teamId=${team.body.id}`).expect(200);
      expect(members.body.items.map((p: { id: string }) => p.id)).toEqual(['agent', 'bob', 'carol']);
      const renamed = await t.as('manager').patch(`/crm/teams/${south.body.id}`, { name: 'NORTH SALES' }).expect(409);
      expect(renamed.body.details).toMatchObject({ field: 'name', existingId: team.body.id });
      await t.as('agent').patch(`/crm/teams/${south.body.id}`, { name: 'Mine now' }).expect(403);
      const cleared = await t.as('manager').patch(`/crm/teams/${south.body.id}`, { name: null }).expect(400);
      expect(cleared.body.errors).toEqual([expect.objectContaining({ field: 'name', rule: 'required' })]);
      const noName = await t.as('manager').patch('/crm/people/bob', { displayName: null }).expect(400);
      expect(noName.body.errors).toEqual([expect.objectContaining({ field: 'displayName', rule: 'required' })]);
      await t.as('agent').patch('/crm/people/bob', { active: false }).expect(403);
    });

    it('lists, searches and filters people', async () => {
      const active = await t.as('agent').get('/crm/people?active=true').expect(200);
      expect(active.body.items.map((p: { id: string }) => p.id)).toEqual(['agent', 'bob']);
      const search = await t.as('agent').get('/crm/people?q=CLOSER').expect(200);
      expect(search.body.items.map((p: { id: string }) => p.id)).toEqual(['carol']);
      const page = await t.as('agent').get('/crm/people?limit=1&page=2').expect(200);
      expect(page.body).toMatchObject({ total: 3, page: 2, limit: 1, items: [{ id: 'bob' }] });
    });

    it('deactivates a person, audited with the change', async () => {
      const res = await t.as('manager').patch('/crm/people/bob', { active: false, displayName: 'Bob B.' }).expect(200);
      expect(res.body).toMatchObject({ active: false, displayName: 'Bob B.' });
      await expect(auditActions('person', 'bob')).resolves.toEqual(['create', 'update']);
      const history = await t.as('agent').get('/crm/people/bob/history?limit=1').expect(200);
      expect(history.body).toMatchObject({ total: 2, items: [{ action: 'update', actorId: 'manager' }] });
      expect(history.body.items[0].changes).toEqual(
        expect.arrayContaining([{ field: 'active', before: true, after: false }, { field: 'displayName', before: 'Bob Builder', after: 'Bob B.' }]),
      );
      await t.as('manager').patch('/crm/people/bob', { active: true }).expect(200);
    });

    it('an owner must be an active person; the caller of a request needs no entry', async () => {
      const people = t.app.get(PeopleService);
      await expect(people.assertActivePerson(t.dataSource.manager, 'agent', 'ownerId')).resolves.toMatchObject({ id: 'agent' });
      await expect(people.assertActivePerson(t.dataSource.manager, 'carol', 'ownerId')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { errors: [expect.objectContaining({ field: 'ownerId', rule: 'activePerson' })] },
      });
      await expect(people.assertActivePerson(t.dataSource.manager, 'ghost', 'ownerId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'ownerId', rule: 'activePerson' })] },
      });
      // 'manager' has no directory entry and still manages the directory.
      await t.as('manager').get('/crm/people/manager').expect(404);
    });

    it('gives the active members of teams, each once, by id', async () => {
      const teams = await t.as('manager').get('/crm/teams').expect(200);
      const ids = teams.body.items.map((team: { id: number }) => team.id);
      const members = await t.app.get(PeopleService).activeMembersOfTeams(t.dataSource.manager, ids);
      expect(members.map((p) => p.id)).toEqual(['agent', 'bob']);
      await expect(t.app.get(PeopleService).activeMembersOfTeams(t.dataSource.manager, [])).resolves.toEqual([]);
    });
  });

  describe('companies', () => {
    let acmeId: number;

    beforeAll(async () => {
      const res = await t.as('agent').post('/crm/companies', { name: 'Acme Trading', website: 'acme.com', tin: '7701234567', city: 'Springfield' }).expect(201);
      acmeId = res.body.id;
      await t.as('agent').post('/crm/companies', { name: 'Globex', website: 'https://globex.example/en', tin: '123456789012' }).expect(201);
      await t.as('agent').post('/crm/companies', { name: 'Initech 50%', website: 'initech.example', tin: '987654321' }).expect(201);
    });

    it('creates a company with its normalised domain, audited', async () => {
      const res = await t.as('agent').get(`/crm/companies/${acmeId}`).expect(200);
      expect(res.body).toMatchObject({ name: 'Acme Trading', website: 'acme.com', websiteDomain: 'acme.com', tin: '7701234567', isPartner: false, city: 'Springfield', version: 1 });
      await expect(auditActions('company', acmeId)).resolves.toEqual(['create']);
    });

    it.each([
      ['the name, in another case and with extra spaces', { name: '  ACME   trading ', website: 'acme-2.com', tin: '111222333' }, 'name'],
      ['the website, as a full address', { name: 'Acme Two', website: 'https://www.Acme.com/about', tin: '111222333' }, 'website'],
      ['the TIN', { name: 'Acme Two', website: 'acme-2.com', tin: '7701234567' }, 'tin'],
    ])('refuses a new company with %s of an existing one: 409 naming the field and the company', async (_label, body, field) => {
      const res = await t.as('agent').post('/crm/companies', body).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', details: { field, existingId: acmeId } });
      const all = await t.as('agent').get('/crm/companies?q=acme').expect(200);
      expect(all.body.total).toBe(1);
    });

    it.each([
      ['an 8-digit TIN', { tin: '12345678' }, 'tin', 'matches'],
      ['an 11-digit TIN', { tin: '12345678901' }, 'tin', 'matches'],
      ['a TIN with letters', { tin: '12345678A' }, 'tin', 'matches'],
      ['a missing TIN', { tin: undefined }, 'tin', 'isString'],
      ['a website that is no address', { website: 'not a website' }, 'website', 'isWebsite'],
      ['a missing website', { website: undefined }, 'website', 'isString'],
      ['a blank name', { name: '   ' }, 'name', 'matches'],
      ['an unknown field', { colour: 'red' }, 'colour', 'unknownField'],
    ])('refuses %s with 400 naming the field and rule', async (_label, patch, field, rule) => {
      const res = await t.as('agent').post('/crm/companies', { name: 'Valid Co', website: 'valid.example', tin: '555666777', ...patch }).expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      const none = await t.as('agent').get('/crm/companies?q=valid').expect(200);
      expect(none.body.total).toBe(0);
    });

    it('searches by name, website or TIN, ignoring case, with pagination', async () => {
      const byName = await t.as('agent').get('/crm/companies?q=ACME%20%20TRAD').expect(200);
      expect(byName.body.items.map((c: { id: number }) => c.id)).toEqual([acmeId]);
      const byWebsite = await t.as('agent').get(`/crm/companies?q=${encodeURIComponent('https://www.globex.example/contact')}`).expect(200);
      expect(byWebsite.body.items.map((c: { name: string }) => c.name)).toEqual(['Globex']);
      const byTin = await t.as('agent').get('/crm/companies?q=770123').expect(200);
      expect(byTin.body.items.map((c: { name: string }) => c.name)).toEqual(['Acme Trading']);
      const literal = await t.as('agent').get('/crm/companies?q=50%25').expect(200);
      expect(literal.body.items.map((c: { name: string }) => c.name)).toEqual(['Initech 50%']);
      const page = await t.as('agent').get('/crm/companies?limit=2&page=1').expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThanOrEqual(4);
      const big = await t.as('agent').get('/crm/companies?limit=500').expect(400);
      expect(big.body.errors).toEqual([expect.objectContaining({ field: 'limit', rule: 'max' })]);
    });

    it('applies the same uniqueness on update, but lets a company keep its own keys', async () => {
      const globex = (await t.as('agent').get('/crm/companies?q=globex').expect(200)).body.items[0];
      const name = await t.as('agent').patch(`/crm/companies/${globex.id}`, { name: 'acme TRADING' }).expect(409);
      expect(name.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'name', existingId: acmeId } });
      const website = await t.as('agent').patch(`/crm/companies/${globex.id}`, { website: 'http://WWW.acme.com' }).expect(409);
      expect(website.body.details).toEqual({ field: 'website', existingId: acmeId });
      const tin = await t.as('agent').patch(`/crm/companies/${globex.id}`, { tin: '7701234567' }).expect(409);
      expect(tin.body.details).toEqual({ field: 'tin', existingId: acmeId });
      const badTin = await t.as('agent').patch(`/crm/companies/${globex.id}`, { tin: '1234' }).expect(400);
      expect(badTin.body.errors).toEqual([expect.objectContaining({ field: 'tin', rule: 'matches' })]);
      for (const field of ['name', 'website', 'tin']) {
        const cleared = await t.as('agent').patch(`/crm/companies/${globex.id}`, { [field]: null }).expect(400);
        expect(cleared.body.errors).toEqual([expect.objectContaining({ field, rule: 'required' })]);
      }

      const same = await t.as('agent').patch(`/crm/companies/${acmeId}`, { name: 'ACME Trading', website: 'https://www.acme.com', version: 1 }).expect(200);
      expect(same.body).toMatchObject({ name: 'ACME Trading', website: 'https://www.acme.com', websiteDomain: 'acme.com', version: 2 });
      await expect(auditActions('company', acmeId)).resolves.toEqual(['create', 'update']);
      const history = await t.as('agent').get(`/crm/companies/${acmeId}/history`).expect(200);
      expect(history.body.items[0]).toMatchObject({
        action: 'update',
        actorId: 'agent',
        changes: [
          { field: 'name', before: 'Acme Trading', after: 'ACME Trading' },
          { field: 'website', before: 'acme.com', after: 'https://www.acme.com' },
        ],
      });
      await t.as('agent').get('/crm/companies/99999/history').expect(404);
    });

    it('refuses a stale version with 409, and changes nothing', async () => {
      const stale = await t.as('agent').patch(`/crm/companies/${acmeId}`, { city: 'Shelbyville', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: 2 } });
      const now = await t.as('agent').get(`/crm/companies/${acmeId}`).expect(200);
      expect(now.body).toMatchObject({ city: 'Springfield', version: 2 });
      await t.as('agent').patch('/crm/companies/99999', { city: 'Nowhere' }).expect(404);
    });

    it('only managers mark partner companies; the list filters them', async () => {
      const refused = await t.as('agent').post('/crm/companies', { name: 'Partner Co', website: 'partner.example', tin: '222333444', isPartner: true }).expect(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', details: { field: 'isPartner' } });
      const partner = await t.as('manager').post('/crm/companies', { name: 'Partner Co', website: 'partner.example', tin: '222333444', isPartner: true }).expect(201);
      await t.as('agent').patch(`/crm/companies/${partner.body.id}`, { isPartner: false }).expect(403);
      await t.as('agent').patch(`/crm/companies/${partner.body.id}`, { city: 'Capital City' }).expect(200);
      const partners = await t.as('agent').get('/crm/companies?isPartner=true').expect(200);
      expect(partners.body.items.map((c: { name: string }) => c.name)).toEqual(['Partner Co']);
    });

    it('finds matching companies by any normalised key, and requires known ids', async () => {
      const companies = t.app.get(CompaniesService);
      const matches = await companies.findMatching(t.dataSource.manager, { name: 'nothing alike', website: 'https://www.ACME.com/x', tin: '123456789012' });
      expect(matches.map((c) => c.name)).toEqual(['ACME Trading', 'Globex']);
      await expect(companies.findMatching(t.dataSource.manager, {})).resolves.toEqual([]);
      await expect(companies.requireCompany(t.dataSource.manager, 99999, 'companyId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'companyId', rule: 'exists' })] },
      });
    });
  });

  describe('contacts', () => {
    let companyId: number;
    let janeId: number;

    beforeAll(async () => {
      const company = await t.as('agent').post('/crm/companies', { name: 'Contacts Inc', website: 'contacts-inc.example', tin: '333444555' }).expect(201);
      companyId = company.body.id;
      const jane = await t.as('agent')
        .post('/crm/contacts', { firstName: 'Jane', lastName: 'Doe', email: 'Jane.Doe@Contacts-Inc.example', phone: '+1 (555) 010-9999', companyId, jobTitle: 'Buyer' })
        .expect(201);
      janeId = jane.body.id;
      await t.as('agent').post('/crm/contacts', { firstName: 'John', middleName: 'Q', lastName: 'Public', phone: '0044 20 7946 0000', doNotContact: true }).expect(201);
    });

    it('creates a contact, audited', async () => {
      const res = await t.as('agent').get(`/crm/contacts/${janeId}`).expect(200);
      expect(res.body).toMatchObject({ companyId, firstName: 'Jane', lastName: 'Doe', fullName: 'Jane Doe', doNotContact: false, jobTitle: 'Buyer', version: 1 });
      await expect(auditActions('contact', janeId)).resolves.toEqual(['create']);
    });

    it('searches by name, email or phone, and within a company', async () => {
      const ids = async (query: string) => (await t.as('agent').get(`/crm/contacts?${query}`).expect(200)).body.items.map((c: { lastName: string }) => c.lastName);
      await expect(ids('q=jane%20DOE')).resolves.toEqual(['Doe']);
      await expect(ids('q=JANE.DOE%40contacts')).resolves.toEqual(['Doe']);
      await expect(ids(`q=${encodeURIComponent('555-010')}`)).resolves.toEqual(['Doe']);
      // John Q Public is do-not-contact: his phone is masked for agents and finds him only for callers with contacts.reveal.
      await expect(ids(`q=${encodeURIComponent('+44 20 7946')}`)).resolves.toEqual([]);
      const revealed = await t.as('manager').get(`/crm/contacts?q=${encodeURIComponent('+44 20 7946')}`).expect(200);
      expect(revealed.body.items.map((c: { lastName: string }) => c.lastName)).toEqual(['Public']);
      await expect(ids(`companyId=${companyId}`)).resolves.toEqual(['Doe']);
      await expect(ids(`companyId=${companyId}&q=public`)).resolves.toEqual([]);
      const flagged = await t.as('agent').get('/crm/contacts?q=public').expect(200);
      expect(flagged.body.items[0]).toMatchObject({ doNotContact: true, fullName: 'John Q Public' });
    });

    it('refuses bad contacts with 400 naming the field and rule', async () => {
      const cases: [object, string, string][] = [
        [{ firstName: 'A', lastName: 'B', email: 'not-an-email' }, 'email', 'isEmail'],
        [{ firstName: 'A', lastName: 'B', phone: 'call me' }, 'phone', 'matches'],
        [{ firstName: 'A' }, 'lastName', 'isString'],
        [{ firstName: 'A', lastName: 'B', companyId: 99999 }, 'companyId', 'exists'],
        [{ firstName: 'A', lastName: 'B', companyId: 'x' }, 'companyId', 'isInt'],
      ];
      for (const [body, field, rule] of cases) {
        const res = await t.as('agent').post('/crm/contacts', body).expect(400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
      }
    });

    it('updates a contact with its match keys, refusing a stale version', async () => {
      const res = await t.as('agent').patch(`/crm/contacts/${janeId}`, { email: 'jane@elsewhere.example', doNotContact: true, version: 1 }).expect(200);
      // Flagged do-not-contact, her email is masked for the agent (who lacks contacts.reveal).
      expect(res.body).toMatchObject({ email: 'j***@elsewhere.example', doNotContact: true, masked: true, version: 2 });
      const stale = await t.as('agent').patch(`/crm/contacts/${janeId}`, { jobTitle: 'CEO', version: 1 }).expect(409);
      const noName = await t.as('agent').patch(`/crm/contacts/${janeId}`, { lastName: null }).expect(400);
      expect(noName.body.errors).toEqual([expect.objectContaining({ field: 'lastName', rule: 'required' })]);
      expect(stale.body.code).toBe('STALE_VERSION');
      const search = await t.as('manager').get('/crm/contacts?q=ELSEWHERE').expect(200);
      expect(search.body.items.map((c: { id: number }) => c.id)).toEqual([janeId]);
      await expect(auditActions('contact', janeId)).resolves.toEqual(['create', 'update']);
      const history = await t.as('manager').get(`/crm/contacts/${janeId}/history`).expect(200);
      expect(history.body.items[0].changes).toEqual(
        expect.arrayContaining([{ field: 'email', before: 'Jane.Doe@Contacts-Inc.example', after: 'jane@elsewhere.example' }, { field: 'doNotContact', before: false, after: true }]),
      );
    });

    it('finds matching contacts by normalised email or phone', async () => {
      const contacts = t.app.get(ContactsService);
      const byEmail = await contacts.findMatching(t.dataSource.manager, { email: '  JANE@elsewhere.EXAMPLE ' });
      expect(byEmail.map((c) => c.id)).toEqual([janeId]);
      const byPhone = await contacts.findMatching(t.dataSource.manager, { phone: '+44 (20) 7946-0000' });
      expect(byPhone.map((c) => c.lastName)).toEqual(['Public']);
      await expect(contacts.findMatching(t.dataSource.manager, { email: null, phone: 'n/a' })).resolves.toEqual([]);
      await expect(contacts.requireContact(t.dataSource.manager, 99999, 'contactId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'contactId', rule: 'exists' })] },
      });
    });
  });

  describe('managed lists', () => {
    it.each(['sales-directions', 'products', 'marketing-campaigns', 'content-channels'])('%s: create, edit, archive out of the picker, restore', async (path) => {
      const url = `/crm/${path}`;
      // Seeded entries (the default sales direction) are not part of this story.
      const seeded = new Set((await t.as('agent').get(`${url}?includeArchived=true`).expect(200)).body.items.map((e: { name: string }) => e.name));
      const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((e) => e.name).filter((n) => !seeded.has(n));
      const first = await t.as('manager').post(url, { name: 'Zeta', sequence: 20 }).expect(201);
      const second = await t.as('manager').post(url, { name: 'Alpha', code: 'alpha', sequence: 5 }).expect(201);
      const dup = await t.as('manager').post(url, { name: ' ZETA ' }).expect(409);
      expect(dup.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'name', existingId: first.body.id } });
      const dupCode = await t.as('manager').post(url, { name: 'Beta', code: 'alpha' }).expect(409);
      expect(dupCode.body.details).toEqual({ field: 'code', existingId: second.body.id });

      const picker = await t.as('agent').get(url).expect(200);
      expect(names(picker)).toEqual(['Alpha', 'Zeta']);
      await t.as('manager').patch(`${url}/${first.body.id}`, { name: 'Zeta Prime' }).expect(200);

      const archived = await t.as('manager').post(`${url}/${first.body.id}/archive`).expect(200);
      expect(archived.body.active).toBe(false);
      const active = await t.as('agent').get(url).expect(200);
      expect(names(active)).toEqual(['Alpha']);
      const all = await t.as('agent').get(`${url}?includeArchived=true`).expect(200);
      expect(names(all)).toEqual(['Alpha', 'Zeta Prime']);
      await t.as('agent').get(`${url}/${first.body.id}`).expect(200);
      await t.as('agent').post(`${url}/${first.body.id}/restore`).expect(403);

      const restored = await t.as('manager').post(`${url}/${first.body.id}/restore`).expect(200);
      expect(restored.body.active).toBe(true);
      await expect(auditActions('list_entry', first.body.id)).resolves.toEqual(['create', 'update', 'archive', 'restore']);
      const history = await t.as('agent').get(`${url}/${first.body.id}/history`).expect(200);
      expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['restore', 'archive', 'update', 'create']);
    });

    it('documents each list under its own path and tag, with operation ids of its own', async () => {
      const doc = (await t.as('anonymous').get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { operationId: string; tags: string[] }>> };
      const lists = /^\/crm\/(sales-directions|products|marketing-campaigns|content-channels)(\/|$)/;
      const operations = Object.entries(doc.paths)
        .filter(([path]) => lists.test(path))
        .flatMap(([, methods]) => Object.values(methods));
      expect(operations).toHaveLength(4 * 7);
      const ids = operations.map((op) => op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(doc.paths['/crm/content-channels/{id}/archive'].post.tags).toEqual(['Content distribution channels']);
      expect(doc.paths['/crm/sales-directions'].get.operationId).toBe('SalesDirectionsController_list');
    });

    it('keeps each list to itself: an entry of one list is a 404 in another', async () => {
      const direction = await t.as('manager').post('/crm/sales-directions', { name: 'Fleet' }).expect(201);
      await t.as('agent').get(`/crm/products/${direction.body.id}`).expect(404);
      await t.as('agent').get(`/crm/products/${direction.body.id}/history`).expect(404);
      await t.as('manager').post(`/crm/products/${direction.body.id}/archive`).expect(404);
      await t.as('manager').post('/crm/products', { name: 'Fleet' }).expect(201);
    });

    it('refuses bad entries with 400 naming the field and rule', async () => {
      const blank = await t.as('manager').post('/crm/products', { name: '' }).expect(400);
      expect(blank.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name', rule: 'matches' })]));
      const code = await t.as('manager').post('/crm/products', { name: 'Odd', code: 'Bad Code' }).expect(400);
      expect(code.body.errors).toEqual([expect.objectContaining({ field: 'code', rule: 'matches' })]);
      const product = await t.as('manager').post('/crm/products', { name: 'Named' }).expect(201);
      const cleared = await t.as('manager').patch(`/crm/products/${product.body.id}`, { name: null }).expect(400);
      expect(cleared.body.errors).toEqual([expect.objectContaining({ field: 'name', rule: 'required' })]);
      const flag = await t.as('agent').get('/crm/products?includeArchived=yes').expect(400);
      expect(flag.body.errors).toEqual([expect.objectContaining({ field: 'includeArchived', rule: 'isBoolean' })]);
      const id = await t.as('agent').get('/crm/products/abc').expect(400);
      expect(id.body.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'isInt' })]);
    });

    it('lets a record keep an archived entry but not pick one, nor one of another list', async () => {
      const campaign = await t.as('manager').post('/crm/marketing-campaigns', { name: 'Spring Promo' }).expect(201);
      await t.as('manager').post(`/crm/marketing-campaigns/${campaign.body.id}/archive`).expect(200);
      const lists = t.app.get(ListEntriesService);
      const m = t.dataSource.manager;
      await expect(lists.assertUsable(m, 'marketing_campaign', campaign.body.id, campaign.body.id, 'marketingCampaignId')).resolves.toMatchObject({ id: campaign.body.id });
      await expect(lists.assertUsable(m, 'marketing_campaign', campaign.body.id, null, 'marketingCampaignId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'marketingCampaignId', rule: 'activeEntry' })] },
      });
      await expect(lists.assertUsable(m, 'product', campaign.body.id, undefined, 'productId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'productId', rule: 'exists' })] },
      });
      await expect(lists.assertUsable(m, 'product', 99999, undefined, 'productId')).rejects.toMatchObject({
        details: { errors: [expect.objectContaining({ field: 'productId', rule: 'exists' })] },
      });
    });
  });
});
