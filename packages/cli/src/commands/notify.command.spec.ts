import { signLikeSeed } from '@mm/testing';
import { signNotification } from './notify.command';

describe('mm notify signing', () => {
  it('signs exactly as the BBOXX seed does (checked against the seed algorithm run in Python)', () => {
    const body = '{"transactionId":"123647","amount":200.0,"currency":"RWF","first_name":"Jean-Amédée"}';
    const header = signLikeSeed('a-provider-secret-123', body, 'msg-1', '200', '12000');
    expect(`12000:${signNotification('a-provider-secret-123', body, 'msg-1', '200', '12000')}`).toBe(header);
  });

  it('changes when any signed part changes', () => {
    const base = signNotification('s3cret-0123456789', '{}', 'm', '200', '12000');
    expect(signNotification('s3cret-0123456789', '{ }', 'm', '200', '12000')).not.toBe(base);
    expect(signNotification('s3cret-0123456789', '{}', 'm2', '200', '12000')).not.toBe(base);
    expect(signNotification('s3cret-0123456789', '{}', 'm', '201', '12000')).not.toBe(base);
    expect(signNotification('s3cret-0123456789', '{}', 'm', '200', '12001')).not.toBe(base);
  });
});
