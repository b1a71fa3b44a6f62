import { systemCaller } from '../core/access/crm-caller';
import { isMaskedFor, maskEmail, maskPhone, visibleChanges, visibleDetails } from './contact-privacy';

const agent = systemCaller('agent', ['leads.read', 'directory.read']);
const manager = systemCaller('manager', ['leads.read', 'directory.read', 'contacts.reveal']);
const quiet = { doNotContact: true, email: 'nina@quiet.example', phone: '+1 555 0177', phoneExtension: '12' };

describe('do-not-contact masking', () => {
  it('keeps the first letter and the domain of an email, the last two digits of a phone', () => {
    expect(maskEmail('jane@acme.example')).toBe('j***@acme.example');
    expect(maskEmail('broken')).toBe('***');
    expect(maskEmail(null)).toBeNull();
    expect(maskPhone('+1 (555) 010-9999')).toBe('***99');
    expect(maskPhone(null)).toBeNull();
  });

  it('masks a do-not-contact contact for a caller without contacts.reveal, unless the lead\'s source shows them', () => {
    expect(visibleDetails(agent, quiet)).toEqual({ email: 'n***@quiet.example', phone: '***77', phoneExtension: null, masked: true });
    expect(visibleDetails(agent, quiet, true)).toEqual({ email: quiet.email, phone: quiet.phone, phoneExtension: '12', masked: false });
    expect(visibleDetails(manager, quiet).masked).toBe(false);
    expect(isMaskedFor(agent, { doNotContact: false })).toBe(false);
  });

  it('masks the email and phone values of a do-not-contact contact\'s history', () => {
    const changes = [
      { field: 'email', before: null, after: 'nina@quiet.example' },
      { field: 'phone', before: '+1 555 0100', after: '+1 555 0177' },
      { field: 'lastName', before: 'Q', after: 'Quiet' },
    ];
    expect(visibleChanges(agent, quiet, changes)).toEqual([
      { field: 'email', before: null, after: 'n***@quiet.example' },
      { field: 'phone', before: '***00', after: '***77' },
      { field: 'lastName', before: 'Q', after: 'Quiet' },
    ]);
    expect(visibleChanges(manager, quiet, changes)).toBe(changes);
  });
});
