// The secure development broker (MM_KAFKA_SECURE=1): a throwaway CA and broker keystore, SCRAM-SHA-512 users created
// when the KRaft storage is formatted, a SASL_SSL client listener, a mutual-TLS controller listener on loopback, and
// StandardAuthorizer with the per-topic ACLs documented in the README ("Kafka security"). Everything it generates lives
// in the infra dir; nothing here is meant for production, where the operator's own CA and secret store take its place.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SCRAM_MECHANISM = 'SCRAM-SHA-512';
/** The broker's certificate subject: the principal of its own controller connections (mutual TLS), a super user. */
const BROKER_SUBJECT = 'CN=mm-dev-broker';

/** The SCRAM users of the development broker: the admin (super user) and one principal per writer or reader. */
export const USERS = ['admin', 'notification-ingest', 'payment-debit', 'ledger', 'debit-requester'];

/**
 * The ACLs of the README's table, for a topic/group prefix (KAFKA_TOPIC_PREFIX, empty by default). Topic rules are
 * LITERAL on the prefixed name; consumer groups and "describe every mm topic" are PREFIXED, so one set of rules covers an
 * environment's own topics and groups and nothing of another environment.
 */
export function aclRules(prefix = '') {
  const t = (name) => `${prefix}${name}`;
  const literal = (principal, resourceType, name, operation) => ({ principal, resourceType, name, patternType: 'LITERAL', operation });
  const prefixed = (principal, resourceType, name, operation) => ({ principal, resourceType, name, patternType: 'PREFIXED', operation });
  const services = ['notification-ingest', 'payment-debit', 'ledger'];
  return [
    // Services check at start that their topics exist (ensureTopics); metadata of the environment's topics only.
    ...services.map((s) => prefixed(s, 'TOPIC', t('mm.'), 'DESCRIBE')),
    literal('notification-ingest', 'TOPIC', t('mm.payment.received.v1'), 'WRITE'),
    literal('notification-ingest', 'TOPIC', t('mm.dlq.notification-ingest.v1'), 'WRITE'),
    // Command producers: internal services (debit-requester) and payment-debit's own POST /v1/debits outbox.
    literal('debit-requester', 'TOPIC', t('mm.debit.requested.v1'), 'WRITE'),
    literal('payment-debit', 'TOPIC', t('mm.debit.requested.v1'), 'WRITE'),
    literal('payment-debit', 'TOPIC', t('mm.debit.requested.v1'), 'READ'),
    literal('payment-debit', 'TOPIC', t('mm.debit.result.v1'), 'WRITE'),
    literal('payment-debit', 'TOPIC', t('mm.dlq.payment-debit.v1'), 'WRITE'),
    literal('payment-debit', 'TOPIC', t('mm.dlq.payment-debit.v1'), 'READ'), // its dead-letter inbox
    prefixed('payment-debit', 'GROUP', t('payment-debit'), 'READ'),
    literal('ledger', 'TOPIC', t('mm.payment.received.v1'), 'READ'),
    literal('ledger', 'TOPIC', t('mm.debit.requested.v1'), 'READ'),
    literal('ledger', 'TOPIC', t('mm.debit.result.v1'), 'READ'),
    // The ledger is the only writer of its corrections (its outbox) and reads them back to book them.
    literal('ledger', 'TOPIC', t('mm.ledger.correction.v1'), 'WRITE'),
    literal('ledger', 'TOPIC', t('mm.ledger.correction.v1'), 'READ'),
    literal('ledger', 'TOPIC', t('mm.dlq.ledger.v1'), 'WRITE'),
    literal('ledger', 'TOPIC', t('mm.dlq.ledger.v1'), 'READ'), // its dead-letter inbox
    prefixed('ledger', 'GROUP', t('ledger'), 'READ'),
  ];
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
}

const secret = () => randomBytes(18).toString('base64url');

/**
 * Generates (once per infra dir) the CA, the broker's PKCS12 keystore and truststore and the users' passwords; returns
 * the security description that `kafka-security.json` records for tests and developers.
 */
export function ensureSecureMaterial(dir, brokers) {
  const tls = join(dir, 'tls');
  const descriptionPath = join(dir, 'kafka-security.json');
  if (existsSync(descriptionPath)) return { path: descriptionPath, ...JSON.parse(readFileSync(descriptionPath, 'utf8')) };
  mkdirSync(tls, { recursive: true, mode: 0o700 });
  const f = (name) => join(tls, name);
  const storePassword = secret();
  run(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '30', '-subj', '/CN=mm-dev-ca'],
    'creating the development CA',
  );
  run(
    'openssl',
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('broker.key'), '-out', f('broker.csr'), '-subj', `/${BROKER_SUBJECT}`],
    'creating the broker key',
  );
  // The broker's certificate serves clients (serverAuth) and authenticates the broker to its own controller (clientAuth).
  writeFileSync(f('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      f('broker.csr'),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-out',
      f('broker.crt'),
      '-days',
      '30',
      '-extfile',
      f('broker.ext'),
    ],
    'signing the broker certificate',
  );
  run(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-in',
      f('broker.crt'),
      '-inkey',
      f('broker.key'),
      '-certfile',
      f('ca.crt'),
      '-name',
      'broker',
      '-out',
      f('broker.p12'),
      '-passout',
      `pass:${storePassword}`,
    ],
    'writing the broker keystore',
  );
  run(
    'keytool',
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'mm-dev-ca',
      '-file',
      f('ca.crt'),
      '-keystore',
      f('truststore.p12'),
      '-storetype',
      'PKCS12',
      '-storepass',
      storePassword,
    ],
    'writing the broker truststore',
  );
  for (const name of ['ca.key', 'broker.key', 'broker.p12', 'truststore.p12']) chmodSync(f(name), 0o600);
  const description = {
    brokers,
    caFile: f('ca.crt'),
    mechanism: SCRAM_MECHANISM.toLowerCase(),
    users: Object.fromEntries(USERS.map((u) => [u, secret()])),
    keystore: { keystore: f('broker.p12'), truststore: f('truststore.p12'), password: storePassword },
  };
  writeFileSync(descriptionPath, JSON.stringify(description, null, 2), { mode: 0o600 });
  return { path: descriptionPath, ...description };
}

/** Broker properties that replace the PLAINTEXT listener with SASL_SSL and turn the authorizer on. */
export function secureBrokerProperties(security, ports) {
  const { keystore, truststore, password } = security.keystore;
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${security.users.admin}";`;
  return {
    listeners: `SASL_SSL://127.0.0.1:${ports.broker},CONTROLLER://127.0.0.1:${ports.controller}`,
    'advertised.listeners': `SASL_SSL://127.0.0.1:${ports.broker}`,
    'listener.security.protocol.map': 'CONTROLLER:SSL,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name': 'SASL_SSL',
    'sasl.enabled.mechanisms': SCRAM_MECHANISM,
    'sasl.mechanism.inter.broker.protocol': SCRAM_MECHANISM,
    [`listener.name.sasl_ssl.${SCRAM_MECHANISM.toLowerCase()}.sasl.jaas.config`]: jaas,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': keystore,
    'ssl.keystore.password': password,
    'ssl.key.password': password,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': truststore,
    'ssl.truststore.password': password,
    // Only the broker itself (its CA-signed certificate) may talk to the controller; no anonymous super user.
    'listener.name.controller.ssl.client.auth': 'required',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:admin;User:${BROKER_SUBJECT}`,
    'allow.everyone.if.no.acl.found': 'false',
  };
}

/** `kafka-storage format` arguments that create every user's SCRAM credential in the bootstrap metadata. */
export const scramFormatArgs = (security) =>
  Object.entries(security.users).flatMap(([name, password]) => ['--add-scram', `${SCRAM_MECHANISM}=[name=${name},password=${password}]`]);

/** kafkajs options of one of the development broker's users. */
export const clientOptions = (security, user) => ({
  ssl: { ca: [readFileSync(security.caFile, 'utf8')] },
  sasl: { mechanism: security.mechanism, username: user, password: security.users[user] },
});

/** Creates the README's ACLs (idempotent: the broker ignores a binding that already exists). */
export async function applyAcls(admin, prefix = '') {
  const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = (await import('kafkajs')).default;
  await admin.createAcls({
    acl: aclRules(prefix).map((r) => ({
      resourceType: AclResourceTypes[r.resourceType],
      resourceName: r.name,
      resourcePatternType: ResourcePatternTypes[r.patternType],
      principal: `User:${r.principal}`,
      host: '*',
      operation: AclOperationTypes[r.operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  });
}
