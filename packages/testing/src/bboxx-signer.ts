import { execFileSync } from 'node:child_process';

/**
 * Signs a notification the way the BBOXX seed's Python snippet does, by running that algorithm in Python
 * (an implementation independent of the service's TypeScript one):
 *   base64(hmac.new(secret, (body + MessageId + originId + CustomerId).encode('UTF-8'), sha1).digest())
 */
export function signLikeSeed(secret: string, body: string, messageId: string, originId: string, customerId: string): string {
  const script = [
    'import base64, hmac, sys',
    'from hashlib import sha1',
    'secret, body, mid, origin, cust = sys.argv[1:6]',
    'h = hmac.new(secret.encode("UTF-8"), (body + mid + origin + cust).encode("UTF-8"), sha1)',
    'sys.stdout.write(cust + ":" + base64.b64encode(h.digest()).decode().rstrip("\\n"))',
  ].join('\n');
  return execFileSync('python3', ['-c', script, secret, body, messageId, originId, customerId], { encoding: 'utf8' });
}
