import { applyDecorators } from '@nestjs/common';
import { ApiErrorSchema } from '@mm/contracts';
import {
  ApiBody,
  ApiHeader,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  type OpenAPIObject,
  type SchemaObject,
  type SecuritySchemeObject,
} from '@nestjs/swagger';
import { z } from 'zod';

/**
 * OpenAPI from the zod schemas that validate: zod 4's own JSON Schema output (target OpenAPI 3.0, the version
 * @nestjs/swagger writes) handed to @nestjs/swagger's decorators, so a route's documentation cannot drift from its
 * validation. Schemas are inlined: a `$ref` would point into zod's own definitions, which the OpenAPI document lacks.
 * Refinements (`.refine`) have no JSON Schema form and are left out; they still run when the route validates.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json: Record<string, unknown> = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'throw',
  });
  delete json.$schema;
  if (JSON.stringify(json).includes('"$ref"'))
    throw new Error('openApiSchema: give the schema no `id` metadata, so that it can be inlined');
  return json as SchemaObject;
}

/** The request body, as the route's schema accepts it. */
export const ApiZodBody = (schema: z.ZodType, description?: string) =>
  ApiBody({ schema: openApiSchema(schema, 'input'), required: true, ...(description ? { description } : {}) });

/** One response: its status, when it happens and, for a JSON body, its schema (as the route writes it). */
export const ApiZodResponse = (status: number, description: string, schema?: z.ZodType) =>
  ApiResponse({ status, description, ...(schema ? { schema: openApiSchema(schema, 'output') } : {}) });

/** Where the document keeps the one error body of our APIs (`ApiErrorSchema`, written by the ApiErrorFilter). */
export const API_ERROR_REF = '#/components/schemas/ApiError';

/** An error response of our APIs (payment-debit, the ledger): the shared error body, by reference. */
export const ApiErrorResponse = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { $ref: API_ERROR_REF } });

/** Adds the shared error body to the document's components when one of its routes refers to it. */
export function withSharedSchemas(document: OpenAPIObject): OpenAPIObject {
  if (!JSON.stringify(document.paths).includes(API_ERROR_REF)) return document;
  const components = document.components ?? {};
  document.components = { ...components, schemas: { ...components.schemas, ApiError: openApiSchema(ApiErrorSchema, 'output') } };
  return document;
}

/** One query parameter per member of the route's (object) query schema, required where the schema requires it. */
export function ApiZodQuery(schema: z.ZodObject): MethodDecorator {
  const { properties = {}, required = [] } = openApiSchema(schema, 'input');
  return applyDecorators(
    ...Object.entries(properties).map(([name, member]) =>
      ApiQuery({ name, required: required.includes(name), schema: member as SchemaObject }),
    ),
  );
}

/** A path parameter, with the schema that checks it. */
export const ApiZodParam = (name: string, schema: z.ZodType, description?: string) =>
  ApiParam({ name, required: true, schema: openApiSchema(schema, 'input'), ...(description ? { description } : {}) });

/** A request header, with the schema that checks it. */
export const ApiZodHeader = (name: string, schema: z.ZodType, description: string, required = false) =>
  ApiHeader({ name, required, description, schema: openApiSchema(schema, 'input') });

/** The security schemes the services use, by the name their routes give in `@ApiSecurity(name)`. */
export const SecuritySchemes = {
  /** Internal callers: `X-API-Key` (payment-debit, ledger). */
  apiKey: { name: 'api-key', scheme: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
  /** The ledger also takes its key as `Authorization: Bearer <key>`; so does the Bixi sandbox its token. */
  bearer: { name: 'bearer', scheme: { type: 'http', scheme: 'bearer' } },
  /** Operators (maker, checker, viewer): a bearer JWT verified against OPERATOR_JWT_PUBLIC_KEYS. */
  operator: { name: 'operator', scheme: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  /** BBOXX providers: `Authorization: <CustomerId>:<base64 HMAC-SHA1(secret, rawBody + MessageID + providerId + CustomerId)>`. */
  bboxxSignature: {
    name: 'bboxx-signature',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description: '`<CustomerId>:<base64 HMAC-SHA1(secret, rawBody + MessageID + providerId + CustomerId)>`, over the raw body bytes',
    },
  },
} as const satisfies Record<string, { name: string; scheme: SecuritySchemeObject }>;

export type SecuritySchemeName = keyof typeof SecuritySchemes;

/** A controller's tag and the security schemes that admit a caller (any one of them, as OpenAPI reads a list). */
export const ApiDocs = (tag: string, ...security: SecuritySchemeName[]) =>
  applyDecorators(ApiTags(tag), ...security.map((name) => ApiSecurity(SecuritySchemes[name].name)));
