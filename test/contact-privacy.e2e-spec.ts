import request from 'supertest';
import { Contact } from '../modules/directory/contact.entity';
import { TestApp } from './harness/test-app';

/**
 * The do-not-contact rule (modules/directory/contact-privacy.ts): a do-not-contact contact's email and
 * phone reach only callers with `contacts.reveal` (managers, or a user granted it), except on a lead whose
 * source shows them; for the others they are masked on every view and not searchable.
 */
describe('Do-not-contact privacy (e2e)', () => {
  let t: TestApp;
  let nina: number;
  let quietLead: number;
  let shownLead: number;
  const EMAIL = 'nina@quiet.example';
  const PHONE = '+1 555 0177';
  const masked = { contactEmail: 'n***@quiet.example', contactPhone: '***77', contactMasked: true };
  const shown = { contactEmail: EMAIL, contactPhone: PHONE, contactMasked: false };

  beforeAll(async () => {
    t = await TestApp.start({ users: { revealer: { id: 'revealer', roles: ['crm_sales'], permissions: ['contacts.reveal'] } } });
    const fleet = (await t.as('manager').post('/crm/sales-directions', { name: 'Fleet', code: 'fleet' }).expect(201)).body.id;
    await t.as('manager').post('/crm/sources', { type: 'website', name: 'Quiet form', code: 'quiet_form', defaultSalesDirectionId: fleet }).expect(201);
    await t.as('manager').post('/crm/sources', { type: 'website', name: 'Shown form', code: 'shown_form', defaultSalesDirectionId: fleet, showDoNotContact: true }).expect(201);
    nina = (await t.as('manager').post('/crm/contacts', { firstName: 'Nina', lastName: 'Quiet', email: EMAIL, phone: PHONE, phoneExtension: '12', doNotContact: true }).expect(201)).body.id;
    const key = (await t.as('manager').post('/crm/intake/keys', { name: 'Web form' }).expect(201)).body.key;
    const submit = (source: string, name: string) =>
      request(t.app.getHttpServer()).post('/crm/intake/leads').set('X-Api-Key', key).send({ source, name, firstName: 'Nina', lastName: 'Quiet', email: EMAIL }).expect(200);
    quietLead = (await submit('quiet_form', 'Quiet ask')).body.leadId;
    shownLead = (await submit('shown_form', 'Shown ask')).body.leadId;
    await expect(t.dataSource.getRepository(Contact).count({ where: { emailKey: EMAIL } })).resolves.toBe(1);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ids = (res: { body: { items: { id: number }[] } }) => res.body.items.map((item) => item.id);

  it('masks the email and phone on the lead for a caller without contacts.reveal, unless its source shows them', async () => {
    const agent = await t.as('agent').get(`/crm/leads/${quietLead}`).expect(200);
    expect(agent.body).toMatchObject({ contactId: nina, contactName: 'Nina Quiet', ...masked });
    expect(JSON.stringify(agent.body)).not.toMatch(/nina@quiet|0177/);
    await t.as('agent').get(`/crm/leads/${shownLead}`).expect(200).expect((res) => expect(res.body).toMatchObject(shown));
    for (const role of ['manager', 'revealer']) {
      await t.as(role).get(`/crm/leads/${quietLead}`).expect(200).expect((res) => expect(res.body).toMatchObject(shown));
    }
  });

  it('masks them on the list and the board cards', async () => {
    const list = await t.as('agent').get('/crm/leads?q=Nina').expect(200);
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: quietLead, ...masked }), expect.objectContaining({ id: shownLead, ...shown })]));
    const board = await t.as('agent').get('/crm/leads/board').expect(200);
    const cards = board.body.columns.flatMap((c: { cards: { id: number }[] }) => c.cards);
    expect(cards.find((c: { id: number }) => c.id === quietLead)).toMatchObject(masked);
    const managerBoard = await t.as('manager').get('/crm/leads/board?groupBy=source').expect(200);
    const managerCards = managerBoard.body.columns.flatMap((c: { cards: { id: number }[] }) => c.cards);
    expect(managerCards.find((c: { id: number }) => c.id === quietLead)).toMatchObject(shown);
  });

  it('does not let a caller without contacts.reveal find the lead by the masked email or phone', async () => {
    for (const q of [EMAIL, 'NINA@quiet', '5550177', '555 0177']) {
      const agent = await t.as('agent').get(`/crm/leads?q=${encodeURIComponent(q)}`).expect(200);
      expect(ids(agent)).not.toContain(quietLead);
      // The lead whose source shows the details is found by them.
      expect(ids(agent)).toContain(shownLead);
      const board = await t.as('agent').get(`/crm/leads/board?q=${encodeURIComponent(q)}`).expect(200);
      expect(board.body.columns.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(1);
      const manager = await t.as('manager').get(`/crm/leads?q=${encodeURIComponent(q)}`).expect(200);
      expect(ids(manager)).toEqual(expect.arrayContaining([quietLead, shownLead]));
    }
  });

  it('masks the contact endpoints, and its email and phone are not searchable there', async () => {
    const agent = await t.as('agent').get(`/crm/contacts/${nina}`).expect(200);
    expect(agent.body).toMatchObject({ email: 'n***@quiet.example', phone: '***77', phoneExtension: null, doNotContact: true, masked: true });
    await t.as('manager').get(`/crm/contacts/${nina}`).expect(200).expect((res) => expect(res.body).toMatchObject({ email: EMAIL, phone: PHONE, phoneExtension: '12', masked: false }));
    const byName = await t.as('agent').get('/crm/contacts?q=Nina').expect(200);
    expect(byName.body.items).toEqual([expect.objectContaining({ id: nina, email: 'n***@quiet.example', masked: true })]);
    for (const q of [EMAIL, 'quiet.example', PHONE, '5550177']) {
      await t.as('agent').get(`/crm/contacts?q=${encodeURIComponent(q)}`).expect(200).expect((res) => expect(ids(res)).toEqual([]));
      await t.as('revealer').get(`/crm/contacts?q=${encodeURIComponent(q)}`).expect(200).expect((res) => expect(ids(res)).toEqual([nina]));
    }
  });

  it('masks the email and phone values of the contact\'s history', async () => {
    const agent = await t.as('agent').get(`/crm/contacts/${nina}/history`).expect(200);
    expect(JSON.stringify(agent.body)).not.toMatch(/nina@quiet|0177/);
    const created = agent.body.items.at(-1);
    expect(created.changes).toEqual(expect.arrayContaining([{ field: 'email', before: null, after: 'n***@quiet.example' }, { field: 'phone', before: null, after: '***77' }]));
    const manager = await t.as('manager').get(`/crm/contacts/${nina}/history`).expect(200);
    expect(manager.body.items.at(-1).changes).toEqual(expect.arrayContaining([{ field: 'email', before: null, after: EMAIL }]));
  });

  it('keeps an edit from undoing the rule: masked values sent back change nothing, and only contacts.reveal lifts doNotContact', async () => {
    const shownToAgent = (await t.as('agent').get(`/crm/contacts/${nina}`).expect(200)).body;
    await t.as('agent').patch(`/crm/contacts/${nina}`, { email: shownToAgent.email, phoneExtension: null, jobTitle: 'Buyer' }).expect(200);
    // A masked phone is no phone: refused by the phone's own rule, and nothing is written.
    const phone = await t.as('agent').patch(`/crm/contacts/${nina}`, { phone: shownToAgent.phone, jobTitle: 'Ignored' }).expect(400);
    expect(phone.body.errors).toEqual([expect.objectContaining({ field: 'phone' })]);
    await expect(t.dataSource.getRepository(Contact).findOneByOrFail({ id: nina })).resolves.toMatchObject({ email: EMAIL, phone: PHONE, phoneExtension: '12', jobTitle: 'Buyer' });
    const lifted = await t.as('agent').patch(`/crm/contacts/${nina}`, { doNotContact: false }).expect(403);
    expect(lifted.body).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'contacts.reveal', field: 'doNotContact' } });
    await expect(t.dataSource.getRepository(Contact).findOneByOrFail({ id: nina })).resolves.toMatchObject({ doNotContact: true });
  });
});
