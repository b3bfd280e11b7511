import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { looksLikeDevSecret } from '../config';
import { jose, type JWK } from './jose';
import { DEV_OPERATOR_PUBLIC_KEYS } from './operator-auth.config';
import { OperatorGuard, Operators } from './operator.guard';
import { signOperatorToken } from './operator-token';
import { OperatorVerifier } from './operator-verifier';

const devKey = JSON.parse(readFileSync(join(__dirname, '../../../../config/dev-operator-key.json'), 'utf8')) as { privateJwk: JWK };
const config = { OPERATOR_JWT_PUBLIC_KEYS: DEV_OPERATOR_PUBLIC_KEYS, OPERATOR_JWT_ISSUER: 'mm', OPERATOR_JWT_AUDIENCE: 'mm' };
const verifier = new OperatorVerifier(config);

async function otherKey(): Promise<JWK> {
  const { privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), alg: 'EdDSA', kid: 'mm-dev-operator-1' };
}

describe('operator tokens', () => {
  it('accepts a token signed with the configured key and returns who and which roles', async () => {
    const token = await signOperatorToken(devKey.privateJwk, { sub: 'alice', roles: ['maker', 'maker'] });
    await expect(verifier.verify(token)).resolves.toEqual({ sub: 'alice', roles: ['maker'] });
  });

  it('refuses an expired token, saying so', async () => {
    const token = await signOperatorToken(devKey.privateJwk, { sub: 'alice', roles: ['maker'], ttlSeconds: -60 });
    await expect(verifier.verify(token)).rejects.toThrow('the operator token has expired');
  });

  it('refuses a token forged with another key under the same kid', async () => {
    const token = await signOperatorToken(await otherKey(), { sub: 'mallory', roles: ['checker'] });
    await expect(verifier.verify(token)).rejects.toThrow('the operator token is not valid');
  });

  it('refuses unsigned (alg none) and HMAC tokens, another issuer or audience, and unknown roles', async () => {
    const claims = { sub: 'mallory', roles: ['checker'], iss: 'mm', aud: 'mm', exp: Math.floor(Date.now() / 1000) + 60 };
    const unsigned = new jose.UnsecuredJWT(claims).encode();
    const hmac = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(DEV_OPERATOR_PUBLIC_KEYS));
    for (const token of [unsigned, hmac]) await expect(verifier.verify(token)).rejects.toThrow('not valid');
    await expect(
      verifier.verify(await signOperatorToken(devKey.privateJwk, { sub: 'a', roles: ['maker'], issuer: 'elsewhere' })),
    ).rejects.toThrow('not valid');
    await expect(
      verifier.verify(await signOperatorToken(devKey.privateJwk, { sub: 'a', roles: ['maker'], audience: 'other' })),
    ).rejects.toThrow('not valid');
    const root = await signOperatorToken(devKey.privateJwk, { sub: 'a', roles: ['admin' as 'maker'] });
    await expect(verifier.verify(root)).rejects.toThrow('no valid roles');
    await expect(verifier.verify('not.a.token')).rejects.toThrow('not valid');
  });

  it('ships a development public key that production refuses, and never a private one', () => {
    expect(looksLikeDevSecret(DEV_OPERATOR_PUBLIC_KEYS)).toBe(true);
    expect(DEV_OPERATOR_PUBLIC_KEYS).not.toContain('"d"');
  });
});

describe('OperatorGuard', () => {
  class Routes {
    @Operators('checker')
    approve(): void {}
  }
  const guard = new OperatorGuard(verifier, new Reflector());
  const contextFor = (authorization?: string) => {
    const req: { headers: Record<string, string>; operator?: unknown } = { headers: authorization ? { authorization } : {} };
    const context = {
      switchToHttp: () => ({ getRequest: () => req }),
      getHandler: () => Routes.prototype.approve,
      getClass: () => Routes,
    } as unknown as ExecutionContext;
    return { req, context };
  };

  it('lets a checker through and puts the operator on the request', async () => {
    const { req, context } = contextFor(`Bearer ${await signOperatorToken(devKey.privateJwk, { sub: 'bob', roles: ['checker'] })}`);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(req.operator).toEqual({ sub: 'bob', roles: ['checker'] });
  });

  it('answers 401 without a token or with a bad one, 403 for the wrong role', async () => {
    await expect(guard.canActivate(contextFor().context)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(guard.canActivate(contextFor('Bearer x.y.z').context)).rejects.toBeInstanceOf(UnauthorizedException);
    const maker = await signOperatorToken(devKey.privateJwk, { sub: 'alice', roles: ['maker', 'viewer'] });
    await expect(guard.canActivate(contextFor(`Bearer ${maker}`).context)).rejects.toBeInstanceOf(ForbiddenException);
  });
});
