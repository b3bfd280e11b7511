import { deadLetterMessage } from '@mm/contracts';
import type { KafkaMessage } from 'kafkajs';
import { headersAsText, replayHeaders, toDeadLetterRecord } from './dead-letter-record';

const kafkaMessage = (m: Pick<Partial<KafkaMessage>, 'key' | 'value' | 'headers'>): KafkaMessage => ({
  key: m.key ?? null,
  value: m.value ?? null,
  timestamp: '0',
  attributes: 0,
  offset: '7',
  headers: m.headers ?? {},
});

describe('dead letter records', () => {
  it('reads the origin, reason, event id and exact bytes of a message the DLQ writer produced', () => {
    const value = Buffer.from([0x7b, 0x00, 0xff, 0x7d]);
    const written = deadLetterMessage(
      { topic: 't.mm.payment.received.v1', partition: 2, offset: '41', key: 'acc-1', value, headers: { ce_type: 'mm.x.v1' } },
      'invalid JSON: Unexpected token',
    );
    const headers = { ...written.headers, mm_dlq_event_id: 'ev-1' } as KafkaMessage['headers'];
    const record = toDeadLetterRecord('t.mm.dlq.ledger.v1', 0, kafkaMessage({ key: Buffer.from('acc-1'), value, headers }));
    expect(record).toMatchObject({
      dlqTopic: 't.mm.dlq.ledger.v1',
      dlqPartition: 0,
      dlqOffset: '7',
      originalTopic: 't.mm.payment.received.v1',
      originalPartition: 2,
      originalOffset: '41',
      reason: 'invalid JSON: Unexpected token',
      eventId: 'ev-1',
    });
    expect(record.value).toEqual(value);
    expect(record.key?.toString()).toBe('acc-1');
    expect(record.headers.ce_type).toBe('mm.x.v1');
  });

  it('stores a message without DLQ headers, or with malformed ones, instead of failing the batch', () => {
    const record = toDeadLetterRecord(
      'dlq',
      0,
      kafkaMessage({ headers: { mm_dlq_topic: 'bad topic!', mm_dlq_partition: '-1', mm_dlq_offset: '1e9' } }),
    );
    expect(record).toMatchObject({ originalTopic: null, originalPartition: null, originalOffset: null, reason: 'no reason recorded' });
    expect(record.value).toBeNull();
  });

  it('replaces NUL (refused by PostgreSQL text and jsonb) in header names and values, keeps the first of repeated values', () => {
    expect(headersAsText({ 'a\u0000b': Buffer.from('x\u0000y'), rep: ['one', 'two'], none: undefined })).toEqual({
      'a\uFFFDb': 'x\uFFFDy',
      rep: 'one',
    });
  });

  it('replays the original headers without the DLQ ones, marked as a replay', () => {
    expect(replayHeaders({ ce_id: '1', mm_dlq_reason: 'r', mm_dlq_topic: 't' }, { name: 'mm_replay_of', value: 'ledger:5' })).toEqual({
      ce_id: '1',
      mm_replay_of: 'ledger:5',
    });
  });
});
