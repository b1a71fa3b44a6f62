import { RateLimiterMemory } from 'rate-limiter-flexible';
import { setTimeout as delay } from 'node:timers/promises';
import { systemCaller } from '../modules/core/access/crm-caller';
import { CRM_PERMISSIONS } from '../modules/core/access/crm-permissions';
import { CrmTransactions } from '../modules/core/database/crm-transactions.service';
import { IntakePipeline } from '../modules/imports/intake/intake-pipeline.service';
import { Contact } from '../modules/directory/contact.entity';
import { Lead } from '../modules/leads/lead.entity';
import { TestApp } from './harness/test-app';

interface Catalogue {
  fleet: number;
  spring: number;
}

/** The lists, people and team the intake suites route and stamp with. */
async function seedCatalogue(t: TestApp): Promise<Catalogue> {
  const fleet = await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
  const spring = await t.as('manager').post('/crm/marketing-campaigns', { name: 'Spring Drive', code: 'spring' }).expect(201);
  for (const id of ['rr1', 'rr2', 'rr3', 'fallback', 'solo']) await t.as('manager').post('/crm/people', { id, displayName: `Person ${id}` }).expect(201);
  return { fleet: fleet.body.id, spring: spring.body.id };
}

async function createKey(t: TestApp, body: object = {}): Promise<{ id: number; key: string }> {
  const res = await t.as('manager').post('/crm/intake/keys', { name: 'Web form', ...body }).expect(201);
  return res.body;
}

function submit(t: TestApp, key: string | undefined, body: object, idempotencyKey?: string) {
  const req = t.request().post('/crm/intake/leads');
  if (key !== undefined) req.set('X-Api-Key', key);
  if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
  return req.send(body);
}

describe('Lead intake API (e2e)', () => {
  let t: TestApp;
  let lists: Catalogue;
  let webForm: { id: number };

  const createSource = async (body: object) => (await t.as('manager').post('/crm/sources', { type: 'website', name: 'Intake source', ...body }).expect(201)).body;
  const lead = (id: number) => t.dataSource.getRepository(Lead).findOneByOrFail({ id });
  const leadCount = () => t.dataSource.getRepository(Lead).count();
  const ownerOf = async (answer: Promise<{ body: { leadId: number } }>) => String((await lead((await answer).body.leadId)).ownerId);

  beforeAll(async () => {
    t = await TestApp.start();
    lists = await seedCatalogue(t);
    webForm = await createSource({ code: 'web_form', name: 'Web form', matchKeys: ['website-form'], defaultSalesDirectionId: lists.fleet, defaultMarketingCampaignId: lists.spring });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('API keys', () => {
    it('are created by managers and shown once; listed without secrets; agents may not manage them', async () => {
      const created = await createKey(t, { name: 'Partner portal', defaultSourceId: webForm.id });
      expect(created).toMatchObject({ name: 'Partner portal', active: true, defaultSourceId: webForm.id });
      expect(created.key).toMatch(/^ik_[0-9a-f]{64}$/);
      const list = await t.as('manager').get('/crm/intake/keys').expect(200);
      const listed = list.body.items.find((k: { id: number }) => k.id === created.id);
      expect(listed).toMatchObject({ prefix: created.key.slice(0, 11), active: true });
      expect(JSON.stringify(list.body)).not.toContain(created.key);
      const stored: { secretHash: string }[] = await t.query('SELECT secretHash FROM crm_intake_key WHERE id = ?', [created.id]);
      expect(stored[0].secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].secretHash).not.toContain(created.key.slice(3, 20));
      await t.as('agent').post('/crm/intake/keys', { name: 'Nope' }).expect(403);
      await t.as('agent').get('/crm/intake/keys').expect(403);
    });

    it('authenticate the intake: a missing, unknown or revoked key is a 401; a bearer user is not enough', async () => {
      const body = { source: 'website-form', firstName: 'Kay', lastName: 'Auth', email: 'kay@auth.example' };
      await expect(submit(t, undefined, body)).resolves.toMatchObject({ status: 401 });
      await expect(submit(t, 'ik_notakey', body)).resolves.toMatchObject({ status: 401 });
      await t.as('manager').post('/crm/intake/leads', body).expect(401);
      const { id, key } = await createKey(t);
      const before = await leadCount();
      await expect(submit(t, key, body)).resolves.toMatchObject({ status: 200 });
      await t.as('manager').delete(`/crm/intake/keys/${id}`).expect(200);
      const revoked = await submit(t, key, body);
      expect(revoked.status).toBe(401);
      expect(revoked.body.code).toBe('UNAUTHENTICATED');
      await expect(leadCount()).resolves.toBe(before + 1);
      const list = await t.as('manager').get('/crm/intake/keys').expect(200);
      expect(list.body.items.find((k: { id: number }) => k.id === id)).toMatchObject({ active: false });
    });

    it('are documented in Swagger as the X-Api-Key header', async () => {
      const docs = await t.request().get('/docs-json').expect(200);
      expect(docs.body.components.securitySchemes['intake-api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
      expect(docs.body.paths['/crm/intake/leads'].post.security).toEqual([{ 'intake-api-key': [] }]);
    });
  });

  describe('a submission', () => {
    let key: string;
    beforeAll(async () => {
      key = (await createKey(t, { defaultSourceId: webForm.id })).key;
    });

    it('creates a lead with the source matched by match key, its default sales direction and campaign, and a new contact', async () => {
      const res = await submit(t, key, { source: 'website-form', name: 'Vans for Acme', firstName: 'Ann', lastName: 'Smith', email: 'ann@acme.example', city: 'Lyon' }).expect(200);
      expect(res.body).toEqual({ status: 'created', leadId: expect.any(Number), sourceId: webForm.id, sourceCode: 'web_form', rules: [] });
      const written = await lead(res.body.leadId);
      await expect(t.dataSource.getRepository(Contact).findOneByOrFail({ id: written.contactId ?? 0 })).resolves.toMatchObject({ firstName: 'Ann', email: 'ann@acme.example' });
      expect(written).toMatchObject({ name: 'Vans for Acme', sourceId: webForm.id, salesDirectionId: lists.fleet, marketingCampaignId: lists.spring, city: 'Lyon', status: 'new' });
      const audit: { action: string }[] = await t.query("SELECT action FROM crm_audit_entry WHERE entityType = 'lead' AND entityId = ? ORDER BY id", [String(res.body.leadId)]);
      expect(audit.map((a) => a.action)).toEqual(['create', 'intake']);
    });

    it('matches the source by code too, and falls back to the key\'s default source when none is named', async () => {
      const byCode = await submit(t, key, { source: 'web_form', firstName: 'By', lastName: 'Code' }).expect(200);
      expect(byCode.body.sourceId).toBe(webForm.id);
      const byDefault = await submit(t, key, { firstName: 'By', lastName: 'Default' }).expect(200);
      expect(byDefault.body.sourceId).toBe(webForm.id);
    });

    it('is refused with 400 naming each bad field, and writes nothing', async () => {
      const before = await leadCount();
      const res = await submit(t, key, { source: 'website-form', firstName: 'Bad', email: 'not-an-email', tin: '123', salesDirection: 'nowhere' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
      expect(fields).toEqual(expect.arrayContaining(['email:isEmail', 'tin:matches', 'lastName:requiredWithContact', 'salesDirection:exists']));
      const unknown = await submit(t, key, { source: 'website-form', lastName: 'X', shoeSize: '42' }).expect(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'shoeSize', rule: 'unknownField' })]);
      await expect(leadCount()).resolves.toBe(before);
    });

    it('with an Idempotency-Key answers a retry of the same body with the first answer instead of a second lead', async () => {
      const before = await leadCount();
      const body = { source: 'website-form', firstName: 'Ida', lastName: 'Empotent', email: 'ida@retry.example' };
      const first = await submit(t, key, body, 'order-42').expect(200);
      // The same request serialised another way (key order, null for absent) is the same request.
      const retry = await submit(t, key, { email: 'ida@retry.example', lastName: 'Empotent', firstName: 'Ida', source: 'website-form', city: null }, 'order-42').expect(200);
      expect(retry.body).toEqual(first.body);
      await expect(leadCount()).resolves.toBe(before + 1);
      const other = await submit(t, key, { ...body, email: 'ida2@retry.example' }, 'order-43').expect(200);
      expect(other.body.leadId).not.toBe(first.body.leadId);
    });

    it('refuses an Idempotency-Key reused with another body with a 422 naming the header, and writes nothing', async () => {
      const body = { source: 'website-form', firstName: 'Reu', lastName: 'Sed', email: 'reused@retry.example' };
      const first = await submit(t, key, body, 'order-77').expect(200);
      const before = await leadCount();
      const reused = await submit(t, key, { ...body, city: 'Changed' }, 'order-77').expect(422);
      expect(reused.body).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        errors: [expect.objectContaining({ field: 'Idempotency-Key', rule: 'sameRequest' })],
        details: { field: 'Idempotency-Key' },
      });
      expect(reused.body.message).toContain('order-77');
      await expect(leadCount()).resolves.toBe(before);
      const inbox: { n: number }[] = await t.query("SELECT COUNT(*) AS n FROM crm_intake_rejected WHERE sourceText = 'website-form'");
      expect(Number(inbox[0].n)).toBe(0);
      await expect(submit(t, key, body, 'order-77')).resolves.toMatchObject({ status: 200, body: first.body });
      // Keys belong to their API key: another API key may use the same one.
      const otherKey = (await createKey(t, { defaultSourceId: webForm.id })).key;
      await expect(submit(t, otherKey, { ...body, city: 'Changed' }, 'order-77')).resolves.toMatchObject({ status: 200 });
    });

    it('sent concurrently with one Idempotency-Key and different bodies, writes one of them and refuses the others with 422', async () => {
      const before = await leadCount();
      const answers = await Promise.all([1, 2, 3].map((i) => submit(t, key, { source: 'website-form', firstName: 'Race', lastName: `Body ${i}`, email: `race${i}@retry.example` }, 'race-7')));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 422, 422]);
      for (const refused of answers.filter((a) => a.status === 422)) expect(refused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expect(leadCount()).resolves.toBe(before + 1);
    });

    it('keeps a 422 rejection under its Idempotency-Key: a retry answers the same rejection, and the replay makes one lead', async () => {
      const body = { source: 'Retried Partner', firstName: 'Rhea', lastName: 'Try', email: 'rhea@retry.example' };
      const before = await leadCount();
      const first = await submit(t, key, body, 'form-post-9').expect(422);
      expect(first.body).toMatchObject({ code: 'UNPROCESSABLE', details: { field: 'source', rejectedId: expect.any(Number) } });
      const retries = await Promise.all([1, 2, 3].map(() => submit(t, key, body, 'form-post-9')));
      for (const retry of retries) expect({ status: retry.status, body: retry.body }).toEqual({ status: 422, body: first.body });
      const kept: { id: number }[] = await t.query("SELECT id FROM crm_intake_rejected WHERE sourceText = 'Retried Partner'");
      expect(kept.map((r) => Number(r.id))).toEqual([first.body.details.rejectedId]);
      // Another body under the key is still a reuse, whatever the first answer was.
      await submit(t, key, { ...body, city: 'Elsewhere' }, 'form-post-9').expect(422).expect((res) => expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED'));

      await createSource({ code: 'retried_partner', name: 'Retried Partner', matchKeys: ['Retried Partner'], defaultSalesDirectionId: lists.fleet });
      const replayed = await t.as('manager').post(`/crm/intake/rejected/${first.body.details.rejectedId}/replay`).expect(200);
      expect(replayed.body).toMatchObject({ status: 'created', leadId: expect.any(Number) });
      await expect(leadCount()).resolves.toBe(before + 1);
      // The retry after the replay is still answered what the key was answered, and writes nothing.
      await expect(submit(t, key, body, 'form-post-9')).resolves.toMatchObject({ status: 422, body: first.body });
      await expect(leadCount()).resolves.toBe(before + 1);
    });

    it('refuses an Idempotency-Key over 120 characters with a 400 naming the header', async () => {
      const res = await submit(t, key, { source: 'website-form', name: 'Long key' }, 'k'.repeat(121)).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key', rule: 'maxLength' })]);
    });

    it('with the same Idempotency-Key sent concurrently still writes one lead', async () => {
      const before = await leadCount();
      const body = { source: 'website-form', firstName: 'Con', lastName: 'Current', email: 'con@retry.example' };
      const answers = await Promise.all([1, 2, 3].map(() => submit(t, key, body, 'burst-1')));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(new Set(answers.map((a) => a.body.leadId)).size).toBe(1);
      await expect(leadCount()).resolves.toBe(before + 1);
    });

    it('with an external id updates its lead when re-sent instead of creating another', async () => {
      const body = { source: 'website-form', name: 'Ext lead', firstName: 'Ex', lastName: 'Ternal', externalSource: 'partner_crm', externalId: 'R-1' };
      const first = await submit(t, key, body).expect(200);
      const again = await submit(t, key, { ...body, city: 'Nantes' }).expect(200);
      expect(again.body).toMatchObject({ status: 'updated', leadId: first.body.leadId });
      const same = await submit(t, key, { ...body, city: 'Nantes' }).expect(200);
      // Nothing differed, which the answer does not tell: it would say what the stored lead holds.
      expect(same.body).toEqual({ ...again.body, status: 'updated', leadId: first.body.leadId, rules: ['externalId'] });
      await expect(lead(first.body.leadId)).resolves.toMatchObject({ city: 'Nantes', externalSource: 'partner_crm', externalId: 'R-1' });
    });
  });

  describe('an unmatched source', () => {
    it('is answered 422, kept in the rejected inbox, and replayed once a manager adds the match key', async () => {
      const { key } = await createKey(t);
      const before = await leadCount();
      const res = await submit(t, key, { source: 'Partner X', firstName: 'Rita', lastName: 'Jected', email: 'rita@x.example' }).expect(422);
      expect(res.body).toMatchObject({ code: 'UNPROCESSABLE', details: { field: 'source', source: 'Partner X' } });
      const rejectedId = res.body.details.rejectedId;
      expect(rejectedId).toEqual(expect.any(Number));
      await expect(leadCount()).resolves.toBe(before);

      await t.as('agent').get('/crm/intake/rejected').expect(403);
      const inbox = await t.as('manager').get('/crm/intake/rejected').expect(200);
      expect(inbox.body.items).toEqual([expect.objectContaining({ id: rejectedId, sourceText: 'Partner X', status: 'pending', payload: expect.objectContaining({ email: 'rita@x.example' }) })]);

      const still = await t.as('manager').post(`/crm/intake/rejected/${rejectedId}/replay`).expect(422);
      expect(still.body.details.rejectedId).toBe(rejectedId);

      const source = await createSource({ code: 'partner_x', name: 'Partner X', type: 'referral', defaultSalesDirectionId: lists.fleet });
      await t.as('manager').patch(`/crm/sources/${source.id}`, { version: source.version, matchKeys: ['Partner X'] }).expect(200);
      const replayed = await t.as('manager').post(`/crm/intake/rejected/${rejectedId}/replay`).expect(200);
      expect(replayed.body).toMatchObject({ status: 'created', sourceId: source.id });
      await t.as('manager').get(`/crm/leads/${replayed.body.leadId}`).expect(200).expect((res) => expect(res.body.contactName).toBe('Rita Jected'));
      await expect(leadCount()).resolves.toBe(before + 1);
      await t.as('manager').post(`/crm/intake/rejected/${rejectedId}/replay`).expect(409);
      const pending = await t.as('manager').get('/crm/intake/rejected').expect(200);
      expect(pending.body.items).toEqual([]);
      const done = await t.as('manager').get('/crm/intake/rejected?status=replayed').expect(200);
      expect(done.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: rejectedId, leadId: replayed.body.leadId })]));
    });
  });

  describe('product categories', () => {
    it('let two sources share a match key only with different categories, and pick the source by the lead\'s category', async () => {
      const trucks = await createSource({ code: 'dealer_trucks', matchKeys: ['dealer'], productCategory: 'Trucks', defaultSalesDirectionId: lists.fleet });
      const buses = await createSource({ code: 'dealer_buses', matchKeys: ['dealer'], productCategory: 'Buses', defaultSalesDirectionId: lists.fleet });
      const clash = await t.as('manager').post('/crm/sources', { type: 'website', name: 'Clash', code: 'dealer_clash', matchKeys: ['dealer'], productCategory: 'trucks' }).expect(409);
      expect(clash.body).toMatchObject({ code: 'DUPLICATE', details: { field: 'matchKeys', matchKey: 'dealer', existingId: trucks.id } });
      const { key } = await createKey(t);
      const bus = await submit(t, key, { source: 'dealer', productCategory: 'buses', lastName: 'Bus', firstName: 'Ben' }).expect(200);
      expect(bus.body.sourceId).toBe(buses.id);
      const truck = await submit(t, key, { source: 'dealer', productCategory: ' TRUCKS ', lastName: 'Truck', firstName: 'Tess' }).expect(200);
      expect(truck.body.sourceId).toBe(trucks.id);
      const none = await submit(t, key, { source: 'dealer', lastName: 'Nobody', firstName: 'Ned' }).expect(422);
      expect(none.body.message).toContain('productCategory');
      const unknown = await submit(t, key, { source: 'dealer', productCategory: 'tractors', lastName: 'Trac', firstName: 'Tom' }).expect(422);
      expect(unknown.body.message).toContain('tractors');
    });

    it('are checked again when a source changes category: it may not collide with another source\'s key', async () => {
      const cars = await createSource({ code: 'dealer_cars', matchKeys: ['dealer'], productCategory: 'cars' });
      const res = await t.as('manager').patch(`/crm/sources/${cars.id}`, { version: cars.version, productCategory: 'Buses' }).expect(409);
      expect(res.body).toMatchObject({ code: 'DUPLICATE', details: { matchKey: 'dealer' } });
      const ok = await t.as('manager').patch(`/crm/sources/${cars.id}`, { version: cars.version, productCategory: 'Vans' }).expect(200);
      expect(ok.body).toMatchObject({ productCategory: 'Vans', matchKeys: ['dealer'] });
    });
  });

  describe('routing', () => {
    let teamId: number;
    beforeAll(async () => {
      teamId = (await t.as('manager').post('/crm/teams', { name: 'Inbound desk', memberIds: ['rr1', 'rr2', 'rr3'] }).expect(201)).body.id;
    });

    it('checks the routing settings of a source', async () => {
      const person = await t.as('manager').post('/crm/sources', { type: 'website', name: 'R', code: 'r_bad1', routingMode: 'person' }).expect(400);
      expect(person.body.errors).toEqual([expect.objectContaining({ field: 'routingPersonId', rule: 'requiredForRoutingMode' })]);
      const teams = await t.as('manager').post('/crm/sources', { type: 'website', name: 'R', code: 'r_bad2', routingMode: 'teams', routingTeamIds: [99999] }).expect(400);
      expect(teams.body.errors).toEqual([expect.objectContaining({ field: 'routingTeamIds', rule: 'exists' })]);
      const ghost = await t.as('manager').post('/crm/sources', { type: 'website', name: 'R', code: 'r_bad3', fallbackPersonId: 'ghost' }).expect(400);
      expect(ghost.body.errors).toEqual([expect.objectContaining({ field: 'fallbackPersonId', rule: 'activePerson' })]);
    });

    it('round-robins over the teams\' active members: 6 leads over 3 members gives 2 each, in turn', async () => {
      const source = await createSource({ code: 'rr_seq', routingMode: 'teams', routingTeamIds: [teamId], defaultSalesDirectionId: lists.fleet });
      expect(source).toMatchObject({ routingMode: 'teams', routingTeamIds: [teamId] });
      const { key } = await createKey(t, { defaultSourceId: source.id });
      const owners: string[] = [];
      for (let i = 0; i < 6; i++) owners.push(await ownerOf(submit(t, key, { name: `Seq ${i}` }).expect(200)));
      expect(owners).toEqual(['rr1', 'rr2', 'rr3', 'rr1', 'rr2', 'rr3']);
    });

    it('stays fair when leads arrive at the same moment', async () => {
      const source = await createSource({ code: 'rr_burst', routingMode: 'teams', routingTeamIds: [teamId], defaultSalesDirectionId: lists.fleet });
      const { key } = await createKey(t, { defaultSourceId: source.id });
      const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => submit(t, key, { name: `Burst ${i}` })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const counts: Record<string, number> = {};
      for (const a of answers) {
        const owner = String((await lead(a.body.leadId)).ownerId);
        counts[owner] = (counts[owner] ?? 0) + 1;
      }
      expect(counts).toEqual({ rr1: 2, rr2: 2, rr3: 2 });
    });

    it('skips inactive members, uses the routing person, and falls back when no one is eligible', async () => {
      const emptyTeam = (await t.as('manager').post('/crm/teams', { name: 'Empty desk' }).expect(201)).body.id;
      const fallback = await createSource({ code: 'rr_fallback', routingMode: 'teams', routingTeamIds: [emptyTeam], fallbackPersonId: 'fallback', defaultSalesDirectionId: lists.fleet });
      const solo = await createSource({ code: 'rr_solo', routingMode: 'person', routingPersonId: 'solo', defaultSalesDirectionId: lists.fleet });
      const { key } = await createKey(t);
      const viaFallback = await submit(t, key, { source: 'rr_fallback', name: 'F' }).expect(200);
      expect(viaFallback.body).toMatchObject({ sourceId: fallback.id, rules: ['routing'] });
      await expect(lead(viaFallback.body.leadId)).resolves.toMatchObject({ ownerId: 'fallback' });
      const viaPerson = await submit(t, key, { source: 'rr_solo', name: 'S' }).expect(200);
      expect(viaPerson.body).toMatchObject({ sourceId: solo.id, rules: ['routing'] });
      await expect(lead(viaPerson.body.leadId)).resolves.toMatchObject({ ownerId: 'solo' });

      await createSource({ code: 'rr_partial', routingMode: 'teams', routingTeamIds: [teamId], defaultSalesDirectionId: lists.fleet });
      await t.as('manager').patch('/crm/people/rr2', { active: false }).expect(200);
      const owners: string[] = [];
      for (let i = 0; i < 4; i++) owners.push(await ownerOf(submit(t, key, { source: 'rr_partial', name: `P ${i}` }).expect(200)));
      expect(owners.sort()).toEqual(['rr1', 'rr1', 'rr3', 'rr3']);
      await t.as('manager').patch('/crm/people/rr2', { active: true }).expect(200);
    });
  });

  describe('duplicates', () => {
    let key: string;
    beforeAll(async () => {
      key = (await createKey(t)).key;
      await createSource({ code: 'dup_off', defaultSalesDirectionId: lists.fleet });
      await createSource({ code: 'dup_on', defaultSalesDirectionId: lists.fleet, updateLead: true, updateContact: true });
      await createSource({ code: 'dup_shown', defaultSalesDirectionId: lists.fleet, showDoNotContact: true });
    });

    it('updateLead off: a duplicate by email creates a new lead linked to the existing contact, which stays unchanged', async () => {
      const first = await submit(t, key, { source: 'dup_off', name: 'First ask', firstName: 'Dora', lastName: 'Dup', email: 'Dora@Dup.example', phone: '+1 555 0100' }).expect(200);
      const second = await submit(t, key, { source: 'dup_off', name: 'Second ask', firstName: 'Dorothy', lastName: 'Dup', email: 'dora@dup.example ', phone: '+1 555 0199' }).expect(200);
      expect(second.body).toEqual({ status: 'duplicate', leadId: expect.any(Number), sourceId: expect.any(Number), sourceCode: 'dup_off', rules: ['linkDuplicate'] });
      expect(second.body.leadId).not.toBe(first.body.leadId);
      const [firstLead, secondLead] = [await lead(first.body.leadId), await lead(second.body.leadId)];
      expect(secondLead.contactId).toBe(firstLead.contactId);
      const contact = await t.as('manager').get(`/crm/contacts/${firstLead.contactId}`).expect(200);
      expect(contact.body).toMatchObject({ firstName: 'Dora', phone: '+1 555 0100' });
    });

    it('matches a duplicate by normalised phone, and a company by TIN or website', async () => {
      const byPhone = await submit(t, key, { source: 'dup_off', name: 'By phone', firstName: 'Dora', lastName: 'Dup', phone: '+1 (555) 0100' }).expect(200);
      expect(byPhone.body.status).toBe('duplicate');
      const co = await submit(t, key, { source: 'dup_off', name: 'Co lead', companyName: 'Dupco', website: 'https://www.dupco.example/contact', tin: '7701234567' }).expect(200);
      expect(co.body.status).toBe('created');
      const companyId = (await lead(co.body.leadId)).companyId;
      expect(companyId).toEqual(expect.any(Number));
      const byTin = await submit(t, key, { source: 'dup_off', name: 'By TIN', companyName: 'Dupco Ltd', tin: '7701234567' }).expect(200);
      expect(byTin.body.status).toBe('duplicate');
      await expect(lead(byTin.body.leadId)).resolves.toMatchObject({ companyId });
      const bySite = await submit(t, key, { source: 'dup_off', name: 'By site', website: 'dupco.example' }).expect(200);
      expect(bySite.body.status).toBe('duplicate');
      await expect(lead(bySite.body.leadId)).resolves.toMatchObject({ companyId });
    });

    it('sent at the same moment by one new person, gives one contact and one company; every lead after the first is a duplicate', async () => {
      const ask = (i: number) => ({ source: 'dup_off', name: `Burst ask ${i}`, firstName: 'Bea', lastName: 'Burst', email: 'bea@burst.example', companyName: 'Burst Motors', website: 'burst.example', tin: '7709876543' });
      const answers = await Promise.all([0, 1, 2, 3, 4].map((i) => submit(t, key, ask(i))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const leads = await Promise.all(answers.map((a) => lead(a.body.leadId)));
      expect(new Set(leads.map((l) => l.contactId)).size).toBe(1);
      expect(new Set(leads.map((l) => l.companyId)).size).toBe(1);
      expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(4);
      const [contacts] = await t.query("SELECT COUNT(*) AS n FROM crm_contact WHERE emailKey = 'bea@burst.example'");
      const [companies] = await t.query("SELECT COUNT(*) AS n FROM crm_company WHERE websiteDomain = 'burst.example'");
      expect([Number(contacts.n), Number(companies.n)]).toEqual([1, 1]);
    });

    it('waits for an import that is writing the same person, then links to the contact and company it made', async () => {
      const person = { firstName: 'Ivo', lastName: 'Import', email: 'ivo@import.example', companyName: 'Import Works', website: 'import-works.example', tin: '7705550123' };
      let imported: { leadId: number } | undefined;
      // An import page that has written the person and not yet committed, as a CSV batch or a sync page mid-way.
      const page = t.app.get(CrmTransactions).runReadCommitted(async (manager) => {
        const [outcome] = await t.app.get(IntakePipeline).ingestBatchWithin(manager, systemCaller('import', CRM_PERMISSIONS), [{ source: 'dup_off', name: 'Imported ask', ...person }]);
        imported = outcome as { leadId: number };
        await delay(400);
      });
      // The page failing ends the wait too, with its error.
      while (!imported) await Promise.race([delay(10), page]);
      const submitted = await submit(t, key, { source: 'dup_off', name: 'Web ask', ...person, email: 'IVO@import.example' }).expect(200);
      await page;
      expect(submitted.body).toMatchObject({ status: 'duplicate', rules: ['linkDuplicate'] });
      const [importedLead, submittedLead] = [await lead(imported.leadId), await lead(submitted.body.leadId)];
      expect([submittedLead.contactId, submittedLead.companyId]).toEqual([importedLead.contactId, importedLead.companyId]);
      const [contacts] = await t.query("SELECT COUNT(*) AS n FROM crm_contact WHERE emailKey = 'ivo@import.example'");
      const [companies] = await t.query("SELECT COUNT(*) AS n FROM crm_company WHERE websiteDomain = 'import-works.example'");
      expect([Number(contacts.n), Number(companies.n)]).toEqual([1, 1]);
    });

    it('updateLead on: the existing open lead takes the fields that differ; nothing differing is a skip', async () => {
      const first = await submit(t, key, { source: 'dup_on', name: 'Upd ask', firstName: 'Uma', lastName: 'Update', email: 'uma@upd.example', city: 'Paris' }).expect(200);
      const before = await leadCount();
      const second = await submit(t, key, { source: 'dup_on', name: 'Upd ask', firstName: 'Uma', lastName: 'Update', email: 'uma@upd.example', city: 'Lille', channel: 'phone' }).expect(200);
      expect(second.body).toMatchObject({ status: 'updated', leadId: first.body.leadId, rules: ['updateContact', 'updateLead'] });
      await expect(lead(first.body.leadId)).resolves.toMatchObject({ city: 'Lille', channel: 'phone', name: 'Upd ask' });
      const third = await submit(t, key, { source: 'dup_on', firstName: 'Uma', lastName: 'Update', email: 'uma@upd.example', city: 'Lille' }).expect(200);
      // Nothing differed, which the answer does not tell (it would say what the stored lead holds).
      expect(third.body).toEqual(second.body);
      await expect(leadCount()).resolves.toBe(before);
    });

    it('updateContact on: the existing contact takes the submitted details', async () => {
      const first = await submit(t, key, { source: 'dup_on', firstName: 'Carl', lastName: 'Contact', email: 'carl@upd.example', phone: '111 222' }).expect(200);
      await submit(t, key, { source: 'dup_on', firstName: 'Carlos', lastName: 'Contact', email: 'carl@upd.example', phone: '333 444', jobTitle: 'Buyer' }).expect(200);
      const contact = await t.as('manager').get(`/crm/contacts/${(await lead(first.body.leadId)).contactId}`).expect(200);
      expect(contact.body).toMatchObject({ firstName: 'Carlos', phone: '333 444', jobTitle: 'Buyer' });
    });

    it('tells a key holder probing a known email nothing it did not send: no name, phone, company, owner or other lead', async () => {
      const company = await t.as('manager').post('/crm/companies', { name: 'Secret Works', website: 'secret-works.example', tin: '7712345678' }).expect(201);
      await t.as('manager').post('/crm/contacts', { firstName: 'Vera', lastName: 'Real', email: 'vera@secret.example', phone: '+1 555 0142', companyId: company.body.id, jobTitle: 'CFO' }).expect(201);
      const known = await submit(t, key, { source: 'dup_off', name: 'Earlier ask', firstName: 'Vera', lastName: 'Real', email: 'vera@secret.example' }).expect(200);
      for (const source of ['dup_off', 'dup_on', 'dup_shown']) {
        const probe = await submit(t, key, { source, firstName: 'Made', lastName: 'Up', email: 'VERA@secret.example' }).expect(200);
        expect(Object.keys(probe.body).sort()).toEqual(['leadId', 'rules', 'sourceCode', 'sourceId', 'status']);
        const answer = JSON.stringify(probe.body);
        for (const stored of ['Vera', 'Real', '0142', 'Secret', 'secret-works', '7712345678', 'CFO', 'vera@']) expect(answer).not.toContain(stored);
        expect(probe.body.status).not.toBe('created');
        if (probe.body.status === 'duplicate') expect(probe.body.leadId).not.toBe(known.body.leadId);
      }
    });
  });
});

describe('Lead intake rate limit (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({ crm: { intake: { rateLimitPoints: 2, rateLimitWindowSeconds: 120 } } });
    const fleet = await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
    await t.as('manager').post('/crm/sources', { type: 'website', name: 'Limited', code: 'limited', defaultSalesDirectionId: fleet.body.id }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After once a key spends its allowance; other keys are not affected', async () => {
    const { key } = await createKey(t);
    await submit(t, key, { source: 'limited', name: 'One' }).expect(200);
    await submit(t, key, { source: 'limited', name: 'Two' }).expect(200);
    const limited = await submit(t, key, { source: 'limited', name: 'Three' }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
    const other = await createKey(t);
    await submit(t, other.key, { source: 'limited', name: 'Other key' }).expect(200);
  });
});

describe('Lead intake with a limiter the host shares between instances (e2e)', () => {
  // Two app instances standing for a scaled-out host, both counting on the host's one limiter.
  const shared = new RateLimiterMemory({ points: 3, duration: 120, keyPrefix: 'crm-intake' });
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await TestApp.start({ crm: { intake: { rateLimiter: shared } } });
    second = await TestApp.start({ crm: { intake: { rateLimiter: shared } } });
    for (const t of [first, second]) {
      const fleet = await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
      await t.as('manager').post('/crm/sources', { type: 'website', name: 'Limited', code: 'limited', defaultSalesDirectionId: fleet.body.id }).expect(201);
    }
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('counts the submissions of a key on every instance against one allowance', async () => {
    const one = await createKey(first);
    const other = await createKey(second);
    // Each test database numbers its first key 1: the same key, as instances on one database would see it.
    expect(other.id).toBe(one.id);
    await submit(first, one.key, { source: 'limited', name: 'One' }).expect(200);
    await submit(second, other.key, { source: 'limited', name: 'Two' }).expect(200);
    await submit(first, one.key, { source: 'limited', name: 'Three' }).expect(200);
    const limited = await submit(second, other.key, { source: 'limited', name: 'Four' }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    await expect(shared.get(String(one.id))).resolves.toMatchObject({ consumedPoints: 4 });
  });
});

describe('Lead intake rate limit on two instances over one database (e2e)', () => {
  // A scaled-out host: two instances, one database. The default store counts in the database
  // (crm_intake_rate_limit), so the allowance is the fleet's; `rateLimitStore: 'memory'` keeps a
  // count per instance.
  const start = async (store: 'database' | 'memory') => {
    const crm = { intake: { rateLimitPoints: 2, rateLimitWindowSeconds: 120, ...(store === 'memory' ? { rateLimitStore: store } : {}) } };
    const first = await TestApp.start({ crm, shareable: true });
    const second = await TestApp.start({ crm, sameDatabaseAs: first });
    const fleet = await first.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201);
    await first.as('manager').post('/crm/sources', { type: 'website', name: 'Limited', code: 'limited', defaultSalesDirectionId: fleet.body.id }).expect(201);
    return { first, second, key: (await createKey(first)).key };
  };

  it('answers 429 with Retry-After on the second instance once the first spent the budget (default store)', async () => {
    const { first, second, key } = await start('database');
    try {
      await submit(first, key, { source: 'limited', name: 'One' }).expect(200);
      await submit(first, key, { source: 'limited', name: 'Two' }).expect(200);
      const limited = await submit(second, key, { source: 'limited', name: 'Three' }).expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
      await submit(first, key, { source: 'limited', name: 'Four' }).expect(429);
      const rows = await second.dataSource.query('SELECT points FROM crm_intake_rate_limit');
      expect(rows.map((row: { points: number | string }) => Number(row.points))).toEqual([4]);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it("with rateLimitStore 'memory', counts each instance's share apart and writes nothing", async () => {
    const { first, second, key } = await start('memory');
    try {
      await submit(first, key, { source: 'limited', name: 'One' }).expect(200);
      await submit(first, key, { source: 'limited', name: 'Two' }).expect(200);
      await submit(first, key, { source: 'limited', name: 'Three' }).expect(429);
      await submit(second, key, { source: 'limited', name: 'Four' }).expect(200);
      const [{ n }] = await second.dataSource.query('SELECT COUNT(*) AS n FROM crm_intake_rate_limit');
      expect(Number(n)).toBe(0);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
