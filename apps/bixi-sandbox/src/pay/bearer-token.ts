import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** `Authorization: Bearer <BIXI_API_TOKEN>`, compared in constant time (hashes of equal length). */
export class BearerToken {
  private readonly hash: Buffer;

  constructor(token: string) {
    this.hash = sha256(token);
  }

  matches(authorization: string | undefined): boolean {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    return token !== undefined && timingSafeEqual(sha256(token), this.hash);
  }
}
