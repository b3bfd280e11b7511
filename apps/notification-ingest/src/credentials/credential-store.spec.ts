import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from './credential-store';

const SECRET_A = 'secret-a-0123456789abcdef';
const SECRET_B = 'secret-b-0123456789abcdef';
const json = (value: unknown) => JSON.stringify(value);

describe('CredentialStore', () => {
  it('loads a credentials file: two live secrets and the providers each customer may post for', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'creds-')), 'credentials.json');
    writeFileSync(file, json({ '12000': { secrets: [SECRET_A, SECRET_B], providers: ['200', '201'] } }));
    const store = CredentialStore.load({ file });
    const credential = store.find('12000');
    expect(credential?.secrets.map((s) => s.toString())).toEqual([SECRET_A, SECRET_B]);
    expect([...credential!.providerIds]).toEqual(['200', '201']);
    expect(store.find('13000')).toBeUndefined();
  });

  it('prefers the inline JSON (INGEST_CREDENTIALS) to the file', () => {
    const store = CredentialStore.load({ file: '/nonexistent/credentials.json', json: json({ '13000': { secrets: [SECRET_A], providers: ['300'] } }) });
    expect(store.size).toBe(1);
    expect(store.find('13000')).toBeDefined();
  });

  it.each([
    ['three secrets', { '12000': { secrets: [SECRET_A, SECRET_B, 'secret-c-0123456789abcdef'], providers: ['200'] } }, '12000.secrets'],
    ['a short secret', { '12000': { secrets: ['tooShort-42'], providers: ['200'] } }, '12000.secrets.0'],
    ['no provider', { '12000': { secrets: [SECRET_A], providers: [] } }, '12000.providers'],
    ['an unknown key', { '12000': { secrets: [SECRET_A], providers: ['200'], admin: true } }, '12000'],
    ['a customerId with a space', { '12 000': { secrets: [SECRET_A], providers: ['200'] } }, '12 000'],
  ])('refuses %s, naming where but never echoing a secret', (_what, value, where) => {
    let message = '';
    try {
      CredentialStore.fromJson(json(value), 'INGEST_CREDENTIALS');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(where);
    for (const secret of [SECRET_A, SECRET_B, 'tooShort-42']) expect(message).not.toContain(secret);
  });

  it('refuses text that is not JSON without quoting it', () => {
    expect(() => CredentialStore.fromJson(`{"12000": ${SECRET_A}`, 'INGEST_CREDENTIALS')).toThrow(/^INGEST_CREDENTIALS: credentials are not valid JSON$/);
  });
});
