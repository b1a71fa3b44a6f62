import { parseMailbox, splitPhoneExtension } from './contact-formats';

describe('parseMailbox', () => {
  it.each([
    ['"Jane Doe" <jane@acme.example>', { email: 'jane@acme.example', name: 'Jane Doe' }],
    ['Jane Doe <jane@acme.example>', { email: 'jane@acme.example', name: 'Jane Doe' }],
    ['<jane@acme.example>', { email: 'jane@acme.example', name: null }],
    ['jane@acme.example', { email: 'jane@acme.example', name: null }],
    ['jane@acme.example (Jane Doe)', { email: 'jane@acme.example', name: 'Jane Doe' }],
    ['jane@acme.example, bob@acme.example', { email: 'jane@acme.example', name: null }],
    ['"Иванов, Пётр" <petr@mail.example>', { email: 'petr@mail.example', name: 'Иванов, Пётр' }],
  ])('%s', (text, expected) => {
    expect(parseMailbox(text)).toEqual(expected);
  });

  it('finds no address in a text without one', () => {
    expect(parseMailbox('Jane Doe')).toBeNull();
  });
});

describe('splitPhoneExtension', () => {
  it.each([
    ['+7 495 123-45-67 доб. 12', '+7 495 123-45-67', '12'],
    ['+7 495 123-45-67, доб 345', '+7 495 123-45-67', '345'],
    ['+1 555 010 9999 ext. 12', '+1 555 010 9999', '12'],
    ['+1 (555) 010-9999 x12', '+1 (555) 010-9999', '12'],
    ['+44 20 7946 0000 #7', '+44 20 7946 0000', '7'],
    ['+7 495 123-45-67 вн. 1024', '+7 495 123-45-67', '1024'],
    ['+1 555 010 9999', '+1 555 010 9999', null],
  ])('%s', (text, phone, extension) => {
    expect(splitPhoneExtension(text)).toEqual({ phone, extension });
  });
});
