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

describe('PageMatches', () => {
  it('answers for a record until a record with one of its keys is written', () => {
    const page = new PageMatches([], [], [], new Map());
    const anna = keys({ emailKey: 'anna@acme.example', tin: '7701234567' });
    expect(page.answers(anna)).toBe(true);
    page.written(keys({ emailKey: 'bob@acme.example' }), null, null);
    expect(page.answers(anna)).toBe(true);
    page.written(keys({ tin: '7701234567' }), null, null);
    expect(page.answers(anna)).toBe(false);
  });

  it('stops answering for open leads of a contact or company a new lead was linked to', () => {
    const page = new PageMatches([], [], [], new Map());
    expect(page.answersOpenLeads(5, 9)).toBe(true);
    page.written(keys({}), null, 9);
    expect(page.answersOpenLeads(5, 9)).toBe(false);
    expect(page.answersOpenLeads(5, null)).toBe(true);
  });

  it('answers for nothing once retired (an update may have moved keys)', () => {
    const page = new PageMatches([], [], [], new Map());
    page.retire();
    expect(page.answers(keys({ emailKey: 'anna@acme.example' }))).toBe(false);
    expect(page.answersOpenLeads(1, 2)).toBe(false);
  });
});
