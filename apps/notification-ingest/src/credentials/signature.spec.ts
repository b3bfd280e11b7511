import { signLikeSeed } from '@mm/testing';
import { computeSignature, parseAuthorization, verifySignature } from './signature';

const secret = 'seed-test-secret-1234';
const body = Buffer.from('{"transactionId" : "123647", "amount" : 200.0, "first_name": "Jean-Amédée"}', 'utf8');
const mid = '74e46da2-41ff-8bba-f529-930acbffdb4c';

describe('BBOXX signature', () => {
  it('matches the seed algorithm run in Python, over the raw bytes', () => {
    const header = signLikeSeed(secret, body.toString('utf8'), mid, '200', '12000');
    const auth = parseAuthorization(header);
    expect(auth?.customerId).toBe('12000');
    expect(auth!.mac.equals(computeSignature(secret, body, mid, '200', '12000'))).toBe(true);
    expect(verifySignature([Buffer.from(secret)], auth!.mac, body, mid, '200', '12000')).toBe(true);
  });

  it('accepts either of two live secrets (rotation) and nothing else', () => {
    const mac = computeSignature('new-secret-0123456789', body, mid, '200', '12000');
    expect(
      verifySignature([Buffer.from('old-secret-0123456789'), Buffer.from('new-secret-0123456789')], mac, body, mid, '200', '12000'),
    ).toBe(true);
    expect(verifySignature([Buffer.from('old-secret-0123456789')], mac, body, mid, '200', '12000')).toBe(false);
  });

  it.each([
    ['the body', Buffer.from(body.toString('utf8').replace('200.0', '200')), mid, '200', '12000'],
    ['the MessageID', body, `${mid}x`, '200', '12000'],
    ['the providerId (originId)', body, mid, '201', '12000'],
    ['the CustomerId', body, mid, '200', '12001'],
  ])('fails when %s changes', (_what, b, m, p, c) => {
    const mac = computeSignature(secret, body, mid, '200', '12000');
    expect(verifySignature([Buffer.from(secret)], mac, b, m, p, c)).toBe(false);
  });

  it.each(['', '12000', ':abc', '12000:not base64!', '12000:AAAA', `12000:${'A'.repeat(27)}=extra`])('refuses Authorization %p', (h) => {
    expect(parseAuthorization(h)).toBeUndefined();
  });

  it('tolerates whitespace around the value', () => {
    const header = signLikeSeed(secret, 'x', mid, '200', '12000');
    expect(parseAuthorization(`  ${header} `)?.customerId).toBe('12000');
  });
});
