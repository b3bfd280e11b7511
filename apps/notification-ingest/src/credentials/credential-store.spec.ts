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
    expect(credential?.secrets.map((s) => s.export().toString())).toEqual([SECRET_A, SECRET_B]);
    expect([...credential!.providerIds]).toEqual(['200', '201']);
    expect(store.find('13000')).toBeUndefined();
  });

  it('prefers the inline JSON (INGEST_CREDENTIALS) to the file', () => {
    const store = CredentialStore.load({
      file: '/nonexistent/credentials.json',
      json: json({ '13000': { secrets: [SECRET_A], providers: ['300'] } }),
    });
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

  describe('under NODE_ENV=production', () => {
    const DEV = 'mm-dev-secret-12000-not-for-production'; // config/dev-credentials.json
    const devCredentials = json({
      '12000': { secrets: [SECRET_A], providers: ['200'] },
      '13000': { secrets: [SECRET_B, DEV], providers: ['300'] },
    });

    it('refuses a development secret, from the inline JSON or a file, naming where and never echoing it', () => {
      const file = join(mkdtempSync(join(tmpdir(), 'creds-')), 'credentials.json');
      writeFileSync(file, devCredentials);
      for (const source of [{ json: devCredentials }, { file }]) {
        let message = '';
        try {
          CredentialStore.load({ ...source, production: true });
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(/13000\.secrets\.1: a development secret; NODE_ENV=production refuses it/);
        expect(message).not.toContain(DEV);
        expect(message).not.toContain(SECRET_B);
      }
    });

    it('accepts the same credentials outside production, and production secrets in production', () => {
      expect(CredentialStore.load({ json: devCredentials }).size).toBe(2);
      const production = json({ '12000': { secrets: ['Zq7p0W4m9R2kL8vT5xN1'], providers: ['200'] } });
      expect(CredentialStore.load({ json: production, production: true }).size).toBe(1);
    });
  });

  it('refuses text that is not JSON without quoting it', () => {
    expect(() => CredentialStore.fromJson(`{"12000": ${SECRET_A}`, 'INGEST_CREDENTIALS')).toThrow(
      /^INGEST_CREDENTIALS: credentials are not valid JSON$/,
    );
  });
});
