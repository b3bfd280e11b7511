import type { KafkaMessage } from 'kafkajs';
import { namespaceOf } from '../kafka';
import { matches } from './dlq.command';

const deadLetter = (reason: string, key: string, value: string): KafkaMessage =>
  ({
    key: Buffer.from(key),
    value: Buffer.from(value),
    headers: { mm_dlq_reason: Buffer.from(reason) },
    offset: '0',
    timestamp: '0',
    attributes: 0,
  }) as KafkaMessage;

describe('mm dlq --match', () => {
  const message = deadLetter('ledger database was down', 'acct-42', '{"id":"0193a0c4-evt"}');

  it('matches on the reason, the key or the value', () => {
    expect(matches(message, 'database was down')).toBe(true);
    expect(matches(message, 'acct-42')).toBe(true);
    expect(matches(message, '0193a0c4-evt')).toBe(true);
  });

  it('passes over a message that contains the text nowhere (replay leaves it replayable)', () => {
    expect(matches(message, 'acct-43')).toBe(false);
  });

  it('matches every message when no text is given', () => {
    expect(matches(message, undefined)).toBe(true);
  });
});

describe('mm --topic-prefix', () => {
  it('names the environment of the topics it reads and writes', () => {
    expect(namespaceOf({ topicPrefix: 'staging.' }).topic('mm.dlq.ledger.v1')).toBe('staging.mm.dlq.ledger.v1');
    expect(namespaceOf({ topicPrefix: '' }).topic('mm.debit.requested.v1')).toBe('mm.debit.requested.v1');
  });

  it('refuses a prefix that is not a namespace', () => {
    expect(() => namespaceOf({ topicPrefix: 'Staging' })).toThrow(/invalid topic prefix/);
  });
});
