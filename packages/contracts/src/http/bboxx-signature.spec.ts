import { signLikeSeed } from '@mm/testing';
import { bboxxAuthorization, bboxxMac } from './bboxx-signature';

const mac64 = (...args: Parameters<typeof bboxxMac>) => bboxxMac(...args).toString('base64');

describe('BBOXX signing (ingest, the CLI, the tests, the benchmark and the fault suite)', () => {
  it('signs exactly as the BBOXX seed does (checked against the seed algorithm run in Python)', () => {
    const body = '{"transactionId":"123647","amount":200.0,"currency":"RWF","first_name":"Jean-Amédée"}';
    const header = signLikeSeed('a-provider-secret-123', body, 'msg-1', '200', '12000');
    expect(bboxxAuthorization('a-provider-secret-123', body, 'msg-1', '200', '12000')).toBe(header);
    expect(`12000:${mac64('a-provider-secret-123', body, 'msg-1', '200', '12000')}`).toBe(header);
  });

  it('signs the raw bytes: a string is its UTF-8 bytes, a Buffer secret is the same secret', () => {
    const body = '{"first_name":"Jean-Amédée"}';
    expect(
      bboxxMac(Buffer.from('s3cret-0123456789'), Buffer.from(body, 'utf8'), 'm', '200', '12000').equals(
        bboxxMac('s3cret-0123456789', body, 'm', '200', '12000'),
      ),
    ).toBe(true);
    expect(bboxxMac('s3cret-0123456789', body, 'm', '200', '12000')).toHaveLength(20);
  });

  it('changes when any signed part changes', () => {
    const base = mac64('s3cret-0123456789', '{}', 'm', '200', '12000');
    expect(mac64('s3cret-0123456789', '{ }', 'm', '200', '12000')).not.toBe(base);
    expect(mac64('s3cret-0123456789', '{}', 'm2', '200', '12000')).not.toBe(base);
    expect(mac64('s3cret-0123456789', '{}', 'm', '201', '12000')).not.toBe(base);
    expect(mac64('s3cret-0123456789', '{}', 'm', '200', '12001')).not.toBe(base);
    expect(mac64('other-secret-0123', '{}', 'm', '200', '12000')).not.toBe(base);
  });
});
