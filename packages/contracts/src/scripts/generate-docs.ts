import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EventCatalog } from '../events/registry';
import { BboxxAcceptedResponseSchema, BboxxNotificationBodySchema, ErrorResponseSchema } from '../http/bboxx';
import { ApiErrorSchema } from '../http/api-error';
import { DebitAcceptedResponseSchema, DebitHttpRequestSchema, StoredDebitSchema } from '../http/debit-api';
import { ProposeResolutionSchema, ResolutionProposalSchema } from '../http/resolution-api';
import { DeadLetterPageSchema, DeadLetterViewSchema, ReplayDeadLetterSchema } from '../http/dead-letters';

/** Writes JSON Schemas and an AsyncAPI 3.0 document generated from the runtime schemas (the only source of truth). */
export function generateDocs(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const messages: Record<string, unknown> = {};
  const channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }> = {};
  for (const [type, { topic, schema }] of Object.entries(EventCatalog)) {
    const name = type.replace(/[^a-zA-Z0-9]+/g, '_');
    const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    writeFileSync(join(outDir, `${type}.schema.json`), JSON.stringify(jsonSchema, null, 2));
    messages[name] = { name: type, contentType: 'application/cloudevents+json', payload: jsonSchema };
    const channel = (channels[topic] ??= { address: topic, messages: {} });
    channel.messages[name] = { $ref: `#/components/messages/${name}` };
  }
  const http = {
    BboxxNotificationBody: BboxxNotificationBodySchema,
    BboxxAcceptedResponse: BboxxAcceptedResponseSchema,
    ErrorResponse: ErrorResponseSchema,
    DebitHttpRequest: DebitHttpRequestSchema,
    DebitAcceptedResponse: DebitAcceptedResponseSchema,
    StoredDebit: StoredDebitSchema,
    ApiError: ApiErrorSchema,
    ProposeResolution: ProposeResolutionSchema,
    ResolutionProposal: ResolutionProposalSchema,
    DeadLetterPage: DeadLetterPageSchema,
    DeadLetter: DeadLetterViewSchema,
    ReplayDeadLetter: ReplayDeadLetterSchema,
  };
  for (const [name, schema] of Object.entries(http)) {
    const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    writeFileSync(join(outDir, `${name}.schema.json`), JSON.stringify(jsonSchema, null, 2));
  }
  const asyncapi = {
    asyncapi: '3.0.0',
    info: {
      title: 'mm events',
      version: '1.0.0',
      description: 'Kafka topics of the mm mobile-money pipeline (CloudEvents 1.0, structured JSON mode).',
    },
    defaultContentType: 'application/cloudevents+json',
    channels,
    components: { messages },
  };
  writeFileSync(join(outDir, 'asyncapi.json'), JSON.stringify(asyncapi, null, 2));
  process.stdout.write(`wrote ${Object.keys(messages).length} event schemas and asyncapi.json to ${outDir}\n`);
}

if (require.main === module) generateDocs(process.argv[2] ?? 'docs/contracts');
