import { CompanyDraft } from '../../directory/companies.service';
import type { Contact } from '../../directory/contact.entity';
import { ContactDraft } from '../../directory/contacts.service';
import type { Lead } from '../../leads/lead.entity';
import { LeadDraft, type LeadState } from '../../leads/lead-writer.service';
import { leadLinkedTo, PageMatches, type RecordKeys } from './page-matches';

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
const anna = (company: number | CompanyDraft | null) =>
  new ContactDraft(company, { firstName: 'Anna', lastName: 'Ivanova', middleName: null, phone: null, email: 'anna@acme.example', doNotContact: false, jobTitle: null }, { emailKey: 'anna@acme.example', phoneKey: null });
const leadDraft = (company: number | CompanyDraft | null, contact: number | ContactDraft | null) => new LeadDraft({} as LeadState, new Date(), company, contact);

describe('PageMatches', () => {
  it('offers what a record drafted to the records after it, each drafted row once, in drafting order', () => {
    const existing = { id: 3, emailKey: 'bob@acme.example', phoneKey: null, companyId: null } as Contact;
    const page = new PageMatches([existing], [], [], new Map());
    const company = acme();
    const contact = anna(company);
    const first = leadDraft(company, contact);
    const second = leadDraft(company, contact);
    page.add(keys({ emailKey: 'anna@acme.example', importKey: 'odoo\u00001' }), first);
    page.add(keys({ emailKey: 'anna@acme.example' }), second);
    expect(page.contacts).toEqual([existing, contact]);
    expect(page.companies).toEqual([company]);
    expect(page.openLeads).toEqual([first, second]);
    expect(page.imported.get('odoo\u00001')).toBe(first);
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

describe('leadLinkedTo', () => {
  it('links a stored lead by ids and a drafted lead by the very drafts', () => {
    const company = acme();
    const contact = anna(company);
    const stored = { contactId: 3, companyId: 9 } as Lead;
    expect(leadLinkedTo(stored, { id: 3 } as Contact, null)).toBe(true);
    expect(leadLinkedTo(stored, { id: 4 } as Contact, null)).toBe(false);
    expect(leadLinkedTo(leadDraft(company, contact), contact, null)).toBe(true);
    expect(leadLinkedTo(leadDraft(company, contact), null, company)).toBe(true);
    expect(leadLinkedTo(leadDraft(company, contact), anna(company), acme())).toBe(false);
    expect(leadLinkedTo(leadDraft(9, null), null, { id: 9 } as never)).toBe(true);
  });
});
