import { freePort, queryOnce } from '@mm/testing';
import { OutboxHousekeepingService } from '@mm/platform';
import { ingestWithDatabase, type IngestWithDatabase } from './support/ingest-harness';

describe('outbox housekeeping', () => {
  let env: IngestWithDatabase;
  beforeAll(async () => {
    // No broker: the relay must not publish the synthetic rows below onto the shared topic.
    env = await ingestWithDatabase('ingest_purge', {
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      OUTBOX_RETENTION_HOURS: '1',
      OUTBOX_PURGE_BATCH_SIZE: '7',
    });
  });
  afterAll(() => env?.stop());

  it('deletes only rows published longer ago than the retention, in batches, and never an unsent row', async () => {
    const insert = (n: number, sentAt: string | null, createdAt = 'now()') =>
      queryOnce(
        env.db.url,
        `insert into ingest.outbox (event_id, topic, message_key, payload, headers, created_at, sent_at)
         select gen_random_uuid(), 'purge-test', 'k', '{}', '{}', ${createdAt}, ${sentAt ?? 'null'} from generate_series(1, $1)`,
        [n],
      );
    await insert(23, `now() - interval '2 hours'`, `now() - interval '3 hours'`); // published long ago: purged
    await insert(5, `now() - interval '10 minutes'`); // published recently: kept
    await insert(4, null, `now() - interval '5 hours'`); // never published: kept, whatever its age

    const deleted = await env.ingest.app.get(OutboxHousekeepingService).purge();
    expect(deleted).toBe(23); // 7 + 7 + 7 + 2
    const left = await queryOnce<{ sent: boolean; n: number }>(
      env.db.url,
      `select sent_at is not null as sent, count(*)::int as n from ingest.outbox where topic = 'purge-test' group by 1 order by 1`,
    );
    expect(left).toEqual([
      { sent: false, n: 4 },
      { sent: true, n: 5 },
    ]);
    const metrics = await (await fetch(`${env.ingest.url}/metrics`)).text();
    expect(metrics).toMatch(/^ingest_outbox_purged_total 23$/m);
    expect(Number(/^ingest_outbox_oldest_age_seconds (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(5 * 3600 - 60);
  });
});
