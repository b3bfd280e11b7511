import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { looksLikeDevSecret } from '@mm/platform';
import { z } from 'zod';

/**
 * Who may post notifications: per credential (the BBOXX `CustomerId`), up to two live secrets (rotation)
 * and the providerIds (`originId`) it may post for. Secrets are held here only and are never logged. Each is a
 * KeyObject, made once: on Node 24 an HMAC keyed with raw bytes costs five times one keyed with a KeyObject (12 µs
 * against 2.5 µs per notification), and a KeyObject prints without its bytes.
 */
export interface Credential {
  customerId: string;
  secrets: readonly KeyObject[];
  providerIds: ReadonlySet<string>;
}

const CredentialsFileSchema = z.record(
  z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'customerId must be 1-64 of [A-Za-z0-9_-]'),
  z
    .object({
      secrets: z.array(z.string().min(16, 'a secret must have at least 16 characters')).min(1).max(2),
      providers: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).min(1),
    })
    .strict(),
);

export class CredentialStore {
  private constructor(private readonly byCustomer: ReadonlyMap<string, Credential>) {}

  /** `production`: refuse development secrets (the repository's own, see looksLikeDevSecret), as NODE_ENV=production does. */
  static fromJson(json: string, origin: string, options: { production?: boolean } = {}): CredentialStore {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error(`${origin}: credentials are not valid JSON`);
    }
    const parsed = CredentialsFileSchema.safeParse(raw);
    if (!parsed.success) {
      // Report the paths only: the values are secrets.
      throw new Error(`${origin}: invalid credentials: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    if (options.production) {
      const devSecrets = Object.entries(parsed.data).flatMap(([customerId, c]) =>
        c.secrets.flatMap((secret, i) => (looksLikeDevSecret(secret) ? [`${customerId}.secrets.${i}`] : [])),
      );
      if (devSecrets.length > 0) {
        throw new Error(
          `${origin}: ${devSecrets.map((where) => `${where}: a development secret; NODE_ENV=production refuses it`).join('; ')}`,
        );
      }
    }
    const map = new Map<string, Credential>();
    for (const [customerId, c] of Object.entries(parsed.data)) {
      map.set(customerId, {
        customerId,
        secrets: c.secrets.map((s) => createSecretKey(Buffer.from(s, 'utf8'))),
        providerIds: new Set(c.providers),
      });
    }
    return new CredentialStore(map);
  }

  static load(options: { file?: string; json?: string; production?: boolean }): CredentialStore {
    const { production } = options;
    if (options.json) return CredentialStore.fromJson(options.json, 'INGEST_CREDENTIALS', { production });
    if (!options.file) throw new Error('no credentials configured');
    return CredentialStore.fromJson(readFileSync(options.file, 'utf8'), `INGEST_CREDENTIALS_FILE (${options.file})`, { production });
  }

  find(customerId: string): Credential | undefined {
    return this.byCustomer.get(customerId);
  }

  get size(): number {
    return this.byCustomer.size;
  }
}
