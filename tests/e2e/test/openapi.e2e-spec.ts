import { randomUUID } from 'node:crypto';
import { createTestDatabase, startService, type RunningService, type TestDatabase } from '@mm/testing';
import { entry } from './payments-stack';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes?: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
    schemas?: Record<string, Schema>;
  };
}

const documentOf = async (service: RunningService): Promise<OpenApiDocument> => {
  const res = await fetch(`${service.url}/docs-json`);
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDocument;
};
const operation = (doc: OpenApiDocument, path: string, method: string): Operation => {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented; documented: ${Object.keys(doc.paths).join(', ')}`);
  return op;
};
const bodyOf = (op: Operation) => op.requestBody?.content['application/json']?.schema;
const responseOf = (op: Operation, status: number) => op.responses[String(status)]?.content?.['application/json']?.schema;
const paramsOf = (op: Operation, where: string) =>
  Object.fromEntries((op.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, p]));
const securityOf = (op: Operation) => (op.security ?? []).flatMap((s) => Object.keys(s)).sort();

const API_ERROR_REF = '#/components/schemas/ApiError';
/** Our own APIs (payment-debit, the ledger): every error response of every route refers to the one shared error body. */
const expectSharedErrors = (doc: OpenApiDocument) => {
  expect(doc.components.schemas?.ApiError?.required).toEqual(['statusCode', 'error', 'message']);
  expect(Object.keys(doc.components.schemas?.ApiError?.properties ?? {})).toEqual(['statusCode', 'error', 'message', 'details']);
  const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/'));
  expect(routes.length).toBeGreaterThan(0);
  for (const [path, methods] of routes) {
    for (const [method, op] of Object.entries(methods)) {
      const errors = Object.keys(op.responses).filter((status) => Number(status) >= 400);
      expect({ route: `${method} ${path}`, errors: errors.length >= 2 }).toEqual({ route: `${method} ${path}`, errors: true });
      for (const status of errors)
        expect({ route: `${method} ${path} ${status}`, ref: responseOf(op, Number(status))?.$ref }).toEqual({
          route: `${method} ${path} ${status}`,
          ref: API_ERROR_REF,
        });
    }
  }
};
const errorOf = (doc: OpenApiDocument, op: Operation, status: number) => {
  expect(responseOf(op, status)?.$ref).toBe(API_ERROR_REF);
  return doc.components.schemas?.ApiError;
};

const expectHealthDocumented = (doc: OpenApiDocument) => {
  expect(responseOf(operation(doc, '/health/live', 'get'), 200)?.properties?.status).toBeDefined();
  expect(responseOf(operation(doc, '/health/ready', 'get'), 200)?.properties?.checks).toBeDefined();
  expect(responseOf(operation(doc, '/health/ready', 'get'), 503)?.properties?.status).toBeDefined();
};

/**
 * Each service serves an OpenAPI document whose request and response schemas come from the zod schemas that
 * validate (packages/contracts and the apps' own), with the error bodies and the security scheme of every route.
 */
describe('OpenAPI documents served at /docs-json', () => {
  const TOKEN = 'openapi-bixi-token-0001';
  let dbs: TestDatabase[] = [];
  let services: Record<'ingest' | 'debit' | 'ledger' | 'sandbox', RunningService>;

  beforeAll(async () => {
    const [ingestDb, debitDb, ledgerDb] = await Promise.all([
      createTestDatabase('oa_ingest'),
      createTestDatabase('oa_debit'),
      createTestDatabase('oa_ledger'),
    ]);
    dbs = [ingestDb, debitDb, ledgerDb];
    const sandbox = await startService('bixi-sandbox', entry('bixi-sandbox'), { BIXI_API_TOKEN: TOKEN });
    const [ingest, debit, ledger] = await Promise.all([
      startService('notification-ingest', entry('notification-ingest'), {
        DATABASE_URL: ingestDb.url,
        INGEST_CREDENTIALS: JSON.stringify({ '12000': { secrets: ['openapi-secret-0123456789'], providers: ['200'] } }),
      }),
      startService('payment-debit', entry('payment-debit'), {
        DATABASE_URL: debitDb.url,
        BIXI_BASE_URL: sandbox.url,
        BIXI_API_TOKEN: TOKEN,
        DEBIT_API_KEY: 'openapi-debit-key-000001',
        DEBIT_CONSUMER_GROUP: `payment-debit-openapi-${randomUUID()}`,
      }),
      startService('ledger', entry('ledger'), {
        DATABASE_URL: ledgerDb.url,
        LEDGER_API_KEY: 'openapi-ledger-key-000001',
        LEDGER_CONSUMER_GROUP: `ledger-openapi-${randomUUID()}`,
      }),
    ]);
    services = { ingest, debit, ledger, sandbox };
  });

  afterAll(async () => {
    await Promise.allSettled(Object.values(services ?? {}).map((s) => s.stop()));
    await Promise.allSettled(dbs.map((d) => d.drop()));
  });

  it('notification-ingest: the signed notification, its headers, body, answer and BBOXX rejection body', async () => {
    const doc = await documentOf(services.ingest);
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.components.securitySchemes?.['bboxx-signature']).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    const op = operation(doc, '/mm/1.0/payments/payment/{providerId}/customers/{customerId}/payments', 'post');
    expect(securityOf(op)).toEqual(['bboxx-signature']);
    expect(Object.keys(paramsOf(op, 'path')).sort()).toEqual(['customerId', 'providerId']);
    expect(paramsOf(op, 'header')).toMatchObject({
      MessageID: { required: true },
      MessageTimestamp: { required: true },
      SMSSupport: { required: false },
    });
    expect(bodyOf(op)?.required).toEqual(expect.arrayContaining(['transactionId', 'amount', 'currency']));
    expect(Object.keys(bodyOf(op)?.properties ?? {})).toEqual(
      expect.arrayContaining(['subscriber', 'sender_phone', 'reference', 'transaction_reference']),
    );
    expect(responseOf(op, 200)?.required).toEqual(['providerTransactionId', 'status', 'Description']);
    for (const status of [400, 403, 409, 413, 415, 429, 503])
      expect(responseOf(op, status)?.required).toEqual(['status', 'Description', 'errors']);
    expect(doc.components.schemas?.ApiError).toBeUndefined(); // the BBOXX API dictates its own error body
    expectHealthDocumented(doc);
  });

  it('payment-debit: POST and GET /v1/debits with the command, the idempotency key, the pages and the error body', async () => {
    const doc = await documentOf(services.debit);
    expect(doc.components.securitySchemes?.['api-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    const post = operation(doc, '/v1/debits', 'post');
    expect(securityOf(post)).toEqual(['api-key']);
    expect(bodyOf(post)?.required).toEqual(expect.arrayContaining(['accountNumber', 'accountType', 'amount', 'receiptId', 'description']));
    expect(bodyOf(post)?.required).not.toContain('commandId');
    expect(Object.keys(paramsOf(post, 'header'))).toEqual(expect.arrayContaining(['Idempotency-Key', 'X-Correlation-Id']));
    expect(responseOf(post, 202)?.properties?.commandId).toBeDefined();
    for (const status of [400, 401, 409, 413, 415]) expect(errorOf(doc, post, status)?.properties?.message).toBeDefined();
    const one = operation(doc, '/v1/debits/{commandId}', 'get');
    expect(responseOf(one, 200)?.properties?.bixiTransactionId).toBeDefined();
    expect(errorOf(doc, one, 404)?.properties?.message).toBeDefined();
    const list = operation(doc, '/v1/debits', 'get');
    expect(paramsOf(list, 'query')).toMatchObject({ state: { required: true }, limit: { required: false }, cursor: { required: false } });
    expect(Object.keys(paramsOf(list, 'query')).sort()).toEqual(['cursor', 'limit', 'state']);
    expect(Object.keys(responseOf(list, 200)?.properties ?? {}).sort()).toEqual(['items', 'nextCursor']);
    expect(responseOf(list, 200)?.properties?.items?.items?.properties?.commandId).toBeDefined();
    expectSharedErrors(doc);
    expectHealthDocumented(doc);
  });

  it("ledger: every read route with its parameters, cursor page, answer, error body and API key (header or bearer), and the operators' routes", async () => {
    const doc = await documentOf(services.ledger);
    expect(Object.keys(doc.components.securitySchemes ?? {}).sort()).toEqual(['api-key', 'bearer', 'operator']);
    expect(doc.components.securitySchemes?.operator).toMatchObject({ type: 'http', scheme: 'bearer' });
    const lists = ['/v1/payments', '/v1/debits', '/v1/events'];
    for (const path of lists) {
      const op = operation(doc, path, 'get');
      expect(securityOf(op)).toEqual(['api-key', 'bearer']);
      expect(Object.keys(paramsOf(op, 'query'))).toEqual(expect.arrayContaining(['limit', 'cursor', 'from', 'to']));
      expect(Object.keys(responseOf(op, 200)?.properties ?? {}).sort()).toEqual(['items', 'nextCursor']);
      for (const status of [400, 401]) expect(errorOf(doc, op, status)?.required).toEqual(['statusCode', 'error', 'message']);
    }
    expect(responseOf(operation(doc, '/v1/payments/{paymentId}', 'get'), 200)?.properties?.postings).toBeDefined();
    expect(errorOf(doc, operation(doc, '/v1/payments/{paymentId}', 'get'), 404)?.required).toEqual(['statusCode', 'error', 'message']);
    expect(responseOf(operation(doc, '/v1/debits/{commandId}', 'get'), 200)?.properties?.results).toBeDefined();
    const account = operation(doc, '/v1/accounts/{accountId}', 'get');
    expect(Object.keys(paramsOf(account, 'path'))).toEqual(['accountId']);
    expect(Object.keys(paramsOf(account, 'query')).sort()).toEqual(['cursor', 'limit']);
    expect(responseOf(account, 200)?.properties?.balances).toBeDefined();
    const report = operation(doc, '/v1/reports/reconciliation', 'get');
    expect(paramsOf(report, 'query')).toMatchObject({ date: { required: true } });
    expect(responseOf(report, 200)?.properties?.flags).toBeDefined();
    // The operators' corrections: bearer JWT only, the body from contracts, every refusal in the shared error body.
    const propose = operation(doc, '/v1/corrections', 'post');
    expect(securityOf(propose)).toEqual(['operator']);
    expect(bodyOf(propose)?.required).toEqual(['eventId', 'amount', 'reason']);
    for (const status of [400, 401, 403, 409, 422])
      expect(errorOf(doc, propose, status)?.required).toEqual(['statusCode', 'error', 'message']);
    const approve = operation(doc, '/v1/corrections/{id}/approve', 'post');
    expect(securityOf(approve)).toEqual(['operator']);
    expect(responseOf(approve, 200)?.properties?.correctionId).toBeDefined();
    for (const status of [401, 403, 404, 409]) expect(errorOf(doc, approve, status)?.required).toEqual(['statusCode', 'error', 'message']);
    expect(bodyOf(operation(doc, '/v1/corrections/{id}/reject', 'post'))?.required).toEqual(['reason']);
    for (const path of ['/v1/corrections', '/v1/operator-actions']) {
      const op = operation(doc, path, 'get');
      expect(securityOf(op)).toEqual(['operator']);
      expect(Object.keys(responseOf(op, 200)?.properties ?? {}).sort()).toEqual(['items', 'nextCursor']);
    }
    expectSharedErrors(doc);
    expectHealthDocumented(doc);
  });

  it('bixi-sandbox: POST /3.0/pay with the seed request, the transaction answer and JSON:API errors', async () => {
    const doc = await documentOf(services.sandbox);
    expect(doc.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const pay = operation(doc, '/3.0/pay', 'post');
    expect(securityOf(pay)).toEqual(['bearer']);
    expect(bodyOf(pay)?.properties?.data?.properties?.attributes?.required).toEqual(
      expect.arrayContaining(['memo', 'accountNumber', 'amount', 'receiptId']),
    );
    expect(responseOf(pay, 200)?.properties?.data?.properties?.attributes?.properties?.total).toBeDefined();
    for (const status of [401, 402, 422, 500]) expect(responseOf(pay, status)?.properties?.errors).toBeDefined();
    expect(doc.components.schemas?.ApiError).toBeUndefined(); // Bixi's API dictates its JSON:API errors
    expectHealthDocumented(doc);
  });
});
