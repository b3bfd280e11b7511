import { jose, type JWK } from './jose';
import type { OperatorRole } from './operator-auth.config';

export interface OperatorTokenRequest {
  sub: string;
  roles: OperatorRole[];
  /** Seconds until it expires (default one hour). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/**
 * Signs an operator token with a private JWK (the CLI's `mm operator token`, the console, the tests). Services only
 * ever hold public keys; the signing key stays with whoever issues tokens.
 */
export async function signOperatorToken(privateJwk: JWK, request: OperatorTokenRequest): Promise<string> {
  const alg = privateJwk.alg ?? 'EdDSA';
  const key = await jose.importJWK(privateJwk, alg);
  return new jose.SignJWT({ roles: request.roles })
    .setProtectedHeader({ alg, ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
    .setSubject(request.sub)
    .setIssuer(request.issuer ?? 'mm')
    .setAudience(request.audience ?? 'mm')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (request.ttlSeconds ?? 3600))
    .sign(key);
}
