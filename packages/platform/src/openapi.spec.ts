import { z } from 'zod';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_ERROR_REF, openApiSchema, withSharedSchemas } from './openapi';

describe('openApiSchema (zod → OpenAPI 3.0 schema object)', () => {
  const Query = z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(512).optional(),
    note: z.string().nullable(),
  });

  it('describes what a route accepts (input) and what it answers (output)', () => {
    const input = openApiSchema(Query, 'input');
    expect('$schema' in input).toBe(false);
    expect(input.required).toEqual(['note']);
    expect(input.properties?.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
    expect(input.properties?.note).toMatchObject({ type: 'string', nullable: true });
    expect(openApiSchema(Query, 'output').required).toEqual(['limit', 'note']);
  });

  it('inlines a schema used twice and refuses one that would need $defs', () => {
    const Money = z.object({ amountMinor: z.string() });
    const schema = openApiSchema(z.object({ charges: Money, total: Money }), 'output');
    expect(schema.properties?.total).toEqual(schema.properties?.charges);
    expect(() => openApiSchema(z.object({ a: z.string().meta({ id: 'Named' }) }), 'output')).toThrow(/id/);
  });

  it('adds the shared error body to the components of a document whose routes refer to it, and only then', () => {
    const doc = (paths: object) => ({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }) as OpenAPIObject;
    const referring = withSharedSchemas(
      doc({ '/v1/x': { get: { responses: { 400: { content: { 'application/json': { schema: { $ref: API_ERROR_REF } } } } } } } }),
    );
    expect(referring.components?.schemas?.ApiError).toMatchObject({ required: ['statusCode', 'error', 'message'] });
    expect(withSharedSchemas(doc({})).components?.schemas?.ApiError).toBeUndefined();
  });
});
