import type { FastifyRequest } from 'fastify';

/** `__Host-` when Secure: the browser then refuses it from any subdomain or path other than `/` of this host. */
export const cookieName = (secure: boolean) => (secure ? '__Host-mm_console' : 'mm_console');

/** The session id from the Cookie header: 43 base64url characters, or nothing. */
export function sessionIdOf(req: FastifyRequest, secure: boolean): string | undefined {
  const name = cookieName(secure);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    const v = value.join('=');
    if (key === name && /^[A-Za-z0-9_-]{43}$/.test(v)) return v;
  }
  return undefined;
}

/** httpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/, Secure off loopback. */
export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${cookieName(secure)}=${id}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export const clearedCookie = (secure: boolean) => sessionCookie('', 0, secure);
