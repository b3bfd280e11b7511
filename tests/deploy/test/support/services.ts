import { join } from 'node:path';
import { SandboxConfigSchema } from '@mm/bixi-sandbox/dist/config';
import { ConsoleConfigFields } from '@mm/console/dist/config';
import { LedgerConfigFields } from '@mm/ledger/dist/config';
import { IngestConfigSchema } from '@mm/notification-ingest/dist/config';
import { DebitConfigSchema } from '@mm/payment-debit/dist/config';

export const ROOT = join(__dirname, '..', '..', '..', '..');

/** Every deployable service: its default port read from its own config schema, and whether it owns a schema. */
export interface DeployedService {
  name: string;
  port: number;
  ownsSchema: boolean;
  usesKafka: boolean;
}

const portOf = (schema: { shape: { PORT: { parse(v: unknown): unknown } } }): number => Number(schema.shape.PORT.parse(undefined));

export const SERVICES: readonly DeployedService[] = [
  { name: 'notification-ingest', port: portOf(IngestConfigSchema), ownsSchema: true, usesKafka: true },
  { name: 'payment-debit', port: portOf(DebitConfigSchema), ownsSchema: true, usesKafka: true },
  { name: 'ledger', port: portOf(LedgerConfigFields), ownsSchema: true, usesKafka: true },
  { name: 'bixi-sandbox', port: portOf(SandboxConfigSchema), ownsSchema: false, usesKafka: false },
  { name: 'console', port: portOf(ConsoleConfigFields), ownsSchema: true, usesKafka: false },
];

/** Credentials, keys and connection strings: only ever in a Secret, never in a ConfigMap or a manifest's env. */
export const SECRET_NAME = /PASSWORD|TOKEN|API_KEY|SECRET|SIGNING_KEY|CREDENTIALS|DATABASE(_MIGRATION)?_URL/;

/** The one value a committed Secret may hold: the release pipeline writes the real ones (README, Deploying). */
export const PLACEHOLDER = 'REPLACE_ME';
