import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { TimeCursor } from '../payments.read';

export const MAX_PAGE_SIZE = 500;

/** Throws a 400 naming every bad parameter; the schemas are strict, so an unknown (misspelt) filter is an error too. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, what = 'query'): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : what),
    message: i.message,
  }));
  throw new BadRequestException({ message: `invalid ${what}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details });
}

/** `limit` and `cursor` of every list. The cursor is opaque to clients: base64url of the last row's sort key. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(512).optional(),
};

export const timeRangeFields = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

const timeKey = z.tuple([z.string().min(1).max(64), z.string().min(1).max(128)]);

export function encodeCursor(key: TimeCursor): string {
  return Buffer.from(JSON.stringify([key.time, key.id])).toString('base64url');
}

/** A cursor this API did not hand out is a 400, never a database error. */
export function decodeCursor(cursor: string | undefined): TimeCursor | undefined {
  if (cursor === undefined) return undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const [time, id] = timeKey.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (Number.isNaN(Date.parse(time.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')))) throw new Error('bad time');
    return { time, id };
  } catch {
    throw invalidCursor();
  }
}

export const invalidCursor = () =>
  new BadRequestException({ message: 'invalid cursor: use the nextCursor of a previous page', details: [{ field: 'cursor', message: 'not a cursor of this list' }] });

/** Pages are fetched with one extra row: its presence says whether there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => TimeCursor, map: (row: R) => T): { items: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
