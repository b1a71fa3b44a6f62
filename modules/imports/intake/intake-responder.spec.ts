import { publicStatus } from './intake-responder.service';

describe('the intake answer status', () => {
  it('is created for a new lead, duplicate for one linked to what it matched', () => {
    expect(publicStatus({ status: 'created', duplicate: false, rules: ['routing'] })).toBe('created');
    expect(publicStatus({ status: 'created', duplicate: true, rules: ['linkDuplicate'] })).toBe('duplicate');
  });

  it('is updated for a lead that took the submission, whether or not a field differed', () => {
    expect(publicStatus({ status: 'updated', duplicate: true, rules: ['updateLead'] })).toBe('updated');
    expect(publicStatus({ status: 'skipped', duplicate: true, rules: ['updateLead'] })).toBe('updated');
    expect(publicStatus({ status: 'skipped', duplicate: true, rules: ['externalId'] })).toBe('updated');
  });

  it('is duplicate when the lead is closed and nothing was written', () => {
    expect(publicStatus({ status: 'skipped', duplicate: true, rules: ['externalId', 'leadClosed'] })).toBe('duplicate');
  });
});
