import { hashPassword, randomPassword, SCRYPT, verifyPassword } from './password';

describe('scrypt passwords', () => {
  it('hashes with its parameters and a random salt, and verifies only the same password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(new RegExp(`^scrypt\\$${SCRYPT.N}\\$${SCRYPT.r}\\$${SCRYPT.p}\\$[\\w-]{22}\\$[\\w-]{43}$`));
    expect(await hashPassword('correct horse')).not.toBe(hash);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('never matches a malformed or hostile hash, nor one asking for more memory than allowed', async () => {
    const hash = await hashPassword('pw');
    const [, , , , salt, key] = hash.split('$');
    for (const stored of [
      '',
      'plain',
      `bcrypt$1$8$1$${salt}$${key}`,
      `scrypt$x$8$1$${salt}$${key}`,
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`,
    ])
      expect(await verifyPassword('pw', stored)).toBe(false);
  });

  it('makes random development passwords', () => {
    expect(randomPassword()).toMatch(/^[\w-]{24}$/);
    expect(randomPassword()).not.toBe(randomPassword());
  });
});
