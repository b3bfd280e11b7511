import type { Page } from '@mm/contracts';
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/**
 * Parses a route's query (or one parameter) with its schema; a failure is a 400 naming every bad parameter in
 * `details`. Strict schemas make an unknown (misspelt) parameter an error too.
 */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : what),
    message: i.message,
  }));
  throw new BadRequestException({ message: `invalid ${what}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details });
}

/** `limit` and `cursor`, the query members of every list. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(512).optional(),
};

export const invalidCursor = () =>
  new BadRequestException({
    message: 'invalid cursor: use the nextCursor of a previous page',
    details: [{ field: 'cursor', message: 'not a cursor of this list' }],
  });

export interface CursorCodec<K> {
  encode(key: K): string;
  /** The key of a cursor this list handed out; any other cursor is a 400, never a database error. */
  decode(cursor: string | undefined): K | undefined;
}

/**
 * A list's cursor, opaque to clients: base64url of the JSON array of the last row's sort key. `schema` checks the
 * decoded array and turns it back into the key; `toArray` is its inverse.
 */
export function cursorCodec<K>(schema: z.ZodType<K>, toArray: (key: K) => unknown[]): CursorCodec<K> {
  return {
    encode: (key) => Buffer.from(JSON.stringify(toArray(key))).toString('base64url'),
    decode: (cursor) => {
      if (cursor === undefined) return undefined;
      if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      const key = schema.safeParse(json);
      if (!key.success) throw invalidCursor();
      return key.data;
    },
  };
}

/** A page from rows fetched with one extra (`limit + 1`): its presence says there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, cursorOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
