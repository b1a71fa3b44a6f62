import { CompanyDraft } from '../../directory/companies.service';
import type { Company } from '../../directory/company.entity';
import type { Contact } from '../../directory/contact.entity';
import { ContactDraft } from '../../directory/contacts.service';
import type { Lead } from '../../leads/lead.entity';
import { LeadDraft, type LeadState } from '../../leads/lead-writer.service';
import { PageMatches, type RecordKeys } from './page-matches';

const keys = (overrides: Partial<RecordKeys>): RecordKeys => ({
  emailKey: null,
  phoneKey: null,
  nameKey: null,
  websiteDomain: null,
  tin: null,
  importKey: null,
  ...overrides,
});

const acme = () => new CompanyDraft({ nameKey: 'acme', websiteDomain: 'acme.example', tin: '7701234567' }, { name: 'Acme', website: 'acme.example', tin: '7701234567', isPartner: false, city: null });
const anna = (company: number | CompanyDraft | null, phoneKey: string | null = null) =>
  new ContactDraft(company, { firstName: 'Anna', lastName: 'Ivanova', middleName: null, phone: phoneKey, phoneExtension: null, email: 'anna@acme.example', doNotContact: false, jobTitle: null }, { emailKey: 'anna@acme.example', phoneKey });
const leadDraft = (company: number | CompanyDraft | null, contact: number | ContactDraft | null) => new LeadDraft({} as LeadState, new Date(), company, contact);
const storedContact = (id: number, emailKey: string | null, phoneKey: string | null) => ({ id, emailKey, phoneKey, companyId: null }) as Contact;

describe('PageMatches', () => {
  it('matches what an earlier record drafted: its contact, its company, its lead and its import', () => {
    const page = new PageMatches([], [], [], new Map());
    const company = acme();
    const contact = anna(company);
    const draft = leadDraft(company, contact);
    page.add(keys({ emailKey: 'anna@acme.example', tin: '7701234567', importKey: 'odoo\u00001' }), draft);
    const repeat = keys({ emailKey: 'anna@acme.example', websiteDomain: 'acme.example', nameKey: 'acme', importKey: 'odoo\u00001' });
    expect(page.contactFor(repeat)).toBe(contact);
    expect(page.companyByKey(repeat)).toBe(company);
    expect(page.companyByName(repeat)).toBe(company);
    expect(page.newestOpenLead(contact, null)).toBe(draft);
    expect(page.newestOpenLead(null, company)).toBe(draft);
    expect(page.importedLead(repeat)).toBe(draft);
    expect(page.contactFor(keys({ emailKey: 'bob@acme.example' }))).toBeNull();
  });

  it('prefers, like a lookup ordered by id, a contact read up front over a drafted one, and the lower id of two read', () => {
    const byPhone = storedContact(7, 'old@acme.example', '15550100');
    const byEmail = storedContact(9, 'anna@acme.example', null);
    const page = new PageMatches([byPhone, byEmail], [], [], new Map());
    expect(page.contactFor(keys({ emailKey: 'anna@acme.example', phoneKey: '15550100' }))).toBe(byPhone);
    const drafted = anna(null, '15550199');
    page.add(keys({}), leadDraft(null, drafted));
    expect(page.contactFor(keys({ emailKey: 'anna@acme.example', phoneKey: '15550199' }))).toBe(byEmail);
  });

  it('answers the newest open lead of a contact or a company, read or drafted, without mixing up equal ids of the two', () => {
    const older = { id: 1, contactId: 5, companyId: null } as Lead;
    const newer = { id: 2, contactId: null, companyId: 5 } as Lead;
    const page = new PageMatches([], [], [older, newer], new Map());
    const contact = { id: 5 } as Contact;
    const company = { id: 5 } as Company;
    expect(page.newestOpenLead(contact, null)).toBe(older);
    expect(page.newestOpenLead(null, company)).toBe(newer);
    expect(page.newestOpenLead(contact, company)).toBe(newer);
    const drafted = leadDraft(null, 5);
    page.add(keys({}), drafted);
    expect(page.newestOpenLead(contact, company)).toBe(drafted);
  });

  it('hands its drafts over once', () => {
    const page = new PageMatches([], [], [], new Map());
    const draft = leadDraft(null, null);
    page.add(keys({}), draft);
    expect(page.takeDrafts()).toEqual([draft]);
    expect(page.takeDrafts()).toEqual([]);
  });

  it('answers for nothing once retired (an update may have moved keys)', () => {
    const page = new PageMatches([], [], [], new Map());
    expect(page.answers()).toBe(true);
    page.retire();
    expect(page.answers()).toBe(false);
  });
});
