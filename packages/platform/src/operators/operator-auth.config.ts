import { z } from 'zod';

/**
 * The public half of `config/dev-operator-key.json`: what every service trusts by default in development, so tokens
 * minted by `mm operator token` work out of the box. Its key id marks it as a development key (see
 * `looksLikeDevSecret`), so `NODE_ENV=production` refuses it and operators' keys must be configured.
 */
export const DEV_OPERATOR_PUBLIC_KEYS =
  '{"keys": [{"crv": "Ed25519", "x": "ghy0twpcDA9cRYW_GAB_UYzCmSI_txiRmXMi1eCssuA", "kty": "OKP", "kid": "mm-dev-operator-1", "alg": "EdDSA", "use": "sig"}]}';

export const OPERATOR_ROLES = ['viewer', 'maker', 'checker'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * Operators' bearer JWTs: `OPERATOR_JWT_PUBLIC_KEYS` is a JWK set (`{"keys":[…]}`, public keys only: EdDSA, ES256 or
 * RS256, each with a `kid` so keys can be rotated), and every token must name this issuer and audience.
 */
export const operatorAuthEnv = {
  OPERATOR_JWT_PUBLIC_KEYS: z
    .string()
    .default(DEV_OPERATOR_PUBLIC_KEYS)
    .refine((v) => {
      try {
        const set = JSON.parse(v) as { keys?: unknown };
        return Array.isArray(set.keys) && set.keys.length > 0 && set.keys.every((k) => typeof k === 'object' && k !== null && !('d' in k));
      } catch {
        return false;
      }
    }, 'must be a JSON Web Key Set {"keys":[…]} of public keys (no private "d" member)'),
  OPERATOR_JWT_ISSUER: z.string().min(1).default('mm'),
  OPERATOR_JWT_AUDIENCE: z.string().min(1).default('mm'),
};

export interface OperatorAuthConfig {
  OPERATOR_JWT_PUBLIC_KEYS: string;
  OPERATOR_JWT_ISSUER: string;
  OPERATOR_JWT_AUDIENCE: string;
}
