import { TopicNamespace, TopicSpecs } from '@mm/contracts';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';

// Kept apart from kafka.ts (no Nest, no pino) so @mm/infra provisions the secure broker's topics through
// `@mm/platform/kafka-admin` with the services' own function.

/** How topics are replicated: from each service's config (`KAFKA_REPLICATION_FACTOR`, `KAFKA_MIN_INSYNC_REPLICAS`). */
export interface TopicProvisioning {
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** The single-node development broker: one replica, so one in sync. Production config refuses it. */
export const DEVELOPMENT_TOPIC_PROVISIONING: TopicProvisioning = { replicationFactor: 1, minInsyncReplicas: 1 };

/**
 * Creates every mm topic of `namespace` that does not exist yet (idempotent), with the configured replication factor and
 * `min.insync.replicas` as a topic config, so acks=all writes need that many replicas whatever the broker default.
 * Existing topics are left as they are (changing replication is an operator's reassignment). Consumers must not rely
 * on auto-creation.
 */
export async function ensureTopics(
  admin: Admin,
  namespace = new TopicNamespace(),
  provisioning: TopicProvisioning = DEVELOPMENT_TOPIC_PROVISIONING,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = TopicSpecs.map((t) => ({ ...t, topic: namespace.topic(t.topic) })).filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;
  const configEntries = [{ name: 'min.insync.replicas', value: String(provisioning.minInsyncReplicas) }];
  // Another process may create some of them between listTopics and createTopics: that is fine.
  await createTopicsWithLeaders(
    admin,
    missing.map((t) => ({ ...t, replicationFactor: provisioning.replicationFactor, configEntries })),
  );
}

/** `ensureTopics` on a short-lived admin client of `kafka`. */
export async function ensureTopicsOf(kafka: Kafka, namespace = new TopicNamespace(), provisioning?: TopicProvisioning): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, namespace, provisioning);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates `topics` (those another process created meanwhile are fine) and waits until every partition has a leader.
 * kafkajs's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a broker answers UNKNOWN_TOPIC_OR_PARTITION for
 * a topic it has just created until its metadata cache has it, and that failed test set-ups at random; here any
 * metadata answer short of every leader is retried until `timeoutMs`.
 */
export async function createTopicsWithLeaders(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  try {
    await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  } catch (error) {
    if (!/already exists/i.test(String((error as Error).message))) throw error;
  }
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let why: string;
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      const led = found.filter((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (led.length === names.length) return;
      why = `${names.length - led.length} of ${names.length} topics without leaders`;
    } catch (error) {
      why = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms (${why}): ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
