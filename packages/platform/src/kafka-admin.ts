import { TopicNamespace, TopicSpecs } from '@mm/contracts';
import type { Admin, Kafka } from 'kafkajs';

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
  try {
    await admin.createTopics({
      topics: missing.map((t) => ({ ...t, replicationFactor: provisioning.replicationFactor, configEntries })),
      waitForLeaders: true,
    });
  } catch (error) {
    // Another process may have created them between listTopics and createTopics.
    if (!/already exists/i.test(String((error as Error).message))) throw error;
  }
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
