import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config';
import type { TopicProvisioning } from './kafka-admin';

// Kept apart from kafka.ts (no Nest, no pino) so the CLI reads the same variables through `@mm/platform/kafka-security`.

const path = () => z.string().min(1).optional();

/**
 * Kafka connection security and topic provisioning, spread into each service's config schema (`...kafkaEnv`) and
 * checked by `kafkaRules`. Secrets come from the environment or from a file (`KAFKA_SASL_PASSWORD_FILE`).
 */
export const kafkaEnv = {
  KAFKA_TOPIC_PREFIX: env.topicPrefix(),
  KAFKA_SSL: env.bool(false),
  /** PEM bundle of the CA(s) the brokers' certificates chain to; without it, the system's CAs. */
  KAFKA_SSL_CA_FILE: path(),
  /** PEM client certificate and key, for brokers that authenticate clients by mutual TLS. */
  KAFKA_SSL_CERT_FILE: path(),
  KAFKA_SSL_KEY_FILE: path(),
  KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD_FILE: path(),
  /** Replicas per topic created by `ensureTopics`; 1 suits only the single-node development broker. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(16).default(1),
  /** `min.insync.replicas` of those topics: with acks=all, a write is refused unless this many replicas have it. */
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).max(16).default(1),
};

export type KafkaEnv = z.infer<z.ZodObject<typeof kafkaEnv>>;

/** Production floor for topics: three replicas, two of which must hold every acknowledged write. */
export const PRODUCTION_MIN_REPLICATION_FACTOR = 3;
export const PRODUCTION_MIN_INSYNC_REPLICAS = 2;

type Problem = (name: keyof KafkaEnv, message: string) => void;
const reporter =
  (ctx: z.RefinementCtx): Problem =>
  (name, message) =>
    ctx.addIssue({ code: 'custom', path: [name], message });

/**
 * Cross-field rules of `kafkaEnv` for a service, for `.superRefine(kafkaRules)`: the connection rules below, and topic
 * replication (never above the replicas, and real replication in production). Messages name variables, never values.
 */
export function kafkaRules(config: KafkaEnv & { NODE_ENV?: string }, ctx: z.RefinementCtx): void {
  kafkaConnectionRules(config, ctx);
  const problem = reporter(ctx);
  if (config.KAFKA_MIN_INSYNC_REPLICAS > config.KAFKA_REPLICATION_FACTOR) {
    problem('KAFKA_MIN_INSYNC_REPLICAS', 'KAFKA_MIN_INSYNC_REPLICAS above KAFKA_REPLICATION_FACTOR would refuse every acks=all write');
  }
  if (config.NODE_ENV !== 'production') return;
  if (config.KAFKA_REPLICATION_FACTOR < PRODUCTION_MIN_REPLICATION_FACTOR) {
    problem(
      'KAFKA_REPLICATION_FACTOR',
      `KAFKA_REPLICATION_FACTOR must be at least ${PRODUCTION_MIN_REPLICATION_FACTOR} when NODE_ENV=production`,
    );
  }
  if (config.KAFKA_MIN_INSYNC_REPLICAS < PRODUCTION_MIN_INSYNC_REPLICAS) {
    problem(
      'KAFKA_MIN_INSYNC_REPLICAS',
      `KAFKA_MIN_INSYNC_REPLICAS must be at least ${PRODUCTION_MIN_INSYNC_REPLICAS} when NODE_ENV=production`,
    );
  }
}

/**
 * TLS and SASL rules, for every client (the CLI creates no topics, so only these apply to it). SASL PLAIN sends the
 * password as is, so it is refused without TLS everywhere; with `NODE_ENV=production` Kafka must use TLS and
 * authenticate (SASL or a client certificate).
 */
export function kafkaConnectionRules(config: KafkaEnv & { NODE_ENV?: string }, ctx: z.RefinementCtx): void {
  const problem = reporter(ctx);
  const hasPassword = config.KAFKA_SASL_PASSWORD !== undefined;
  const hasPasswordFile = config.KAFKA_SASL_PASSWORD_FILE !== undefined;
  if (config.KAFKA_SASL_MECHANISM) {
    if (!config.KAFKA_SASL_USERNAME) problem('KAFKA_SASL_USERNAME', `KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM`);
    if (hasPassword === hasPasswordFile)
      problem('KAFKA_SASL_PASSWORD', 'set exactly one of KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE');
    if (config.KAFKA_SASL_MECHANISM === 'plain' && !config.KAFKA_SSL)
      problem('KAFKA_SASL_MECHANISM', 'plain sends the password in clear: it needs KAFKA_SSL=true');
  } else if (config.KAFKA_SASL_USERNAME || hasPassword || hasPasswordFile) {
    problem('KAFKA_SASL_MECHANISM', 'KAFKA_SASL_MECHANISM (scram-sha-512, scram-sha-256 or plain) is required with SASL credentials');
  }
  if ((config.KAFKA_SSL_CERT_FILE === undefined) !== (config.KAFKA_SSL_KEY_FILE === undefined)) {
    problem('KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
  }
  if (!config.KAFKA_SSL && (config.KAFKA_SSL_CA_FILE || config.KAFKA_SSL_CERT_FILE || config.KAFKA_SSL_KEY_FILE)) {
    problem('KAFKA_SSL', 'KAFKA_SSL=true is required when TLS files are configured (otherwise they would be ignored)');
  }
  if (config.NODE_ENV !== 'production') return;
  if (!config.KAFKA_SSL) problem('KAFKA_SSL', 'KAFKA_SSL=true is required when NODE_ENV=production');
  if (!config.KAFKA_SASL_MECHANISM && !config.KAFKA_SSL_CERT_FILE) {
    problem(
      'KAFKA_SASL_MECHANISM',
      'NODE_ENV=production requires Kafka authentication: KAFKA_SASL_MECHANISM (scram-sha-512) or a client certificate',
    );
  }
}

function readConfigured(name: keyof KafkaEnv, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    // The path is configuration, not a secret; the file's content never appears in a message.
    throw new ConfigError([`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}

/** The kafkajs `ssl` and `sasl` options of a validated `kafkaEnv` (reads the configured files). */
export function kafkaClientSecurity(config: KafkaEnv): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const security: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (config.KAFKA_SSL) {
    const ca = config.KAFKA_SSL_CA_FILE ? { ca: [readConfigured('KAFKA_SSL_CA_FILE', config.KAFKA_SSL_CA_FILE)] } : {};
    const clientCertificate =
      config.KAFKA_SSL_CERT_FILE && config.KAFKA_SSL_KEY_FILE
        ? {
            cert: readConfigured('KAFKA_SSL_CERT_FILE', config.KAFKA_SSL_CERT_FILE),
            key: readConfigured('KAFKA_SSL_KEY_FILE', config.KAFKA_SSL_KEY_FILE),
          }
        : {};
    // Certificate and host name verification stay on (kafkajs' default, rejectUnauthorized): never turned off here.
    security.ssl = { ...ca, ...clientCertificate };
  }
  if (config.KAFKA_SASL_MECHANISM && config.KAFKA_SASL_USERNAME) {
    const password = config.KAFKA_SASL_PASSWORD_FILE
      ? readConfigured('KAFKA_SASL_PASSWORD_FILE', config.KAFKA_SASL_PASSWORD_FILE).trim()
      : (config.KAFKA_SASL_PASSWORD ?? '');
    // kafkajs types each mechanism as its own union member of the same shape; TS cannot distribute the enum over them.
    security.sasl = { mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password } as SASLOptions;
  }
  return security;
}

/** Replication of the topics `ensureTopics` creates, from config. */
export const topicProvisioning = (config: KafkaEnv): TopicProvisioning => ({
  replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
});

/** The TLS/SASL variables of the environment, validated (for tools such as the CLI that have no service config). */
export const kafkaSecurityFromEnv = (source: NodeJS.ProcessEnv = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> =>
  kafkaClientSecurity(loadConfig(z.object({ NODE_ENV: env.nodeEnv(), ...kafkaEnv }).superRefine(kafkaConnectionRules), source));
