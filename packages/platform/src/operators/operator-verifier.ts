import { jose, type JSONWebKeySet } from './jose';
import { OPERATOR_ROLES, type OperatorAuthConfig, type OperatorRole } from './operator-auth.config';

/** Who is acting: the token's `sub` and the roles it grants. Stored beside every operator action. */
export interface Operator {
  sub: string;
  roles: OperatorRole[];
}

/** Why a token was refused; the message is safe to return (it never echoes the token). */
export class OperatorTokenError extends Error {}

const ALGORITHMS = ['EdDSA', 'ES256', 'RS256'];
const SUB = /^[A-Za-z0-9._@-]{1,128}$/;

/**
 * Verifies operators' bearer JWTs against the configured public keys (jose): signature, `exp` (required), `nbf`,
 * issuer and audience, with 5 s of clock tolerance; `sub` must be a plain operator id and `roles` a non-empty list of
 * known roles. Tokens signed with an algorithm outside EdDSA/ES256/RS256 (`none`, HMAC) are refused.
 */
export class OperatorVerifier {
  private readonly keys: ReturnType<typeof jose.createLocalJWKSet>;

  constructor(private readonly config: OperatorAuthConfig) {
    this.keys = jose.createLocalJWKSet(JSON.parse(config.OPERATOR_JWT_PUBLIC_KEYS) as JSONWebKeySet);
  }

  async verify(token: string): Promise<Operator> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.config.OPERATOR_JWT_ISSUER,
        audience: this.config.OPERATOR_JWT_AUDIENCE,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw new OperatorTokenError(
        error instanceof jose.errors.JWTExpired ? 'the operator token has expired' : 'the operator token is not valid',
      );
    }
    const { sub, roles } = payload;
    if (typeof sub !== 'string' || !SUB.test(sub)) throw new OperatorTokenError('the operator token has no valid sub');
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r): r is OperatorRole => OPERATOR_ROLES.includes(r as OperatorRole))) {
      throw new OperatorTokenError('the operator token has no valid roles');
    }
    return { sub, roles: [...new Set(roles)] };
  }
}
