import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { cursorCodec, pageFields, parseParams, toPage } from './pages';

describe('list pages', () => {
  const schema = z.object({ ...pageFields, currency: z.string().optional() }).strict();
  const idCursor = cursorCodec<string>(
    z.tuple([z.string().regex(/^[0-9]+$/)]).transform(([id]) => id),
    (id) => [id],
  );

  it('applies the default page size and refuses oversized or unknown parameters, naming each in details', () => {
    expect(parseParams(schema, {})).toEqual({ limit: 50 });
    expect(() => parseParams(schema, { limit: '501' })).toThrow(/limit/);
    expect(() => parseParams(schema, { limit: '0' })).toThrow(/limit/);
    expect(() => parseParams(schema, { currencyy: 'USD' })).toThrow(/currencyy/);
    expect(() => parseParams(schema, { currency: ['USD', 'KES'] })).toThrow(/currency/);
    try {
      parseParams(schema, { limit: 'x', after: '1' });
      throw new Error('accepted');
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ details: [{ field: 'limit' }, { field: 'after' }] });
    }
  });

  it('round-trips a cursor and refuses one it did not hand out with a 400', () => {
    expect(idCursor.decode(idCursor.encode('42'))).toBe('42');
    expect(idCursor.decode(undefined)).toBeUndefined();
    for (const cursor of ['not a cursor!', Buffer.from('["x"]').toString('base64url'), Buffer.from('{').toString('base64url'), 'e30']) {
      expect(() => idCursor.decode(cursor)).toThrow(BadRequestException);
    }
  });

  it('hands out a next cursor only when there is another row', () => {
    const rows = ['1', '2', '3'];
    expect(toPage(rows, 3, idCursor.encode, (r) => Number(r))).toEqual({ items: [1, 2, 3], nextCursor: null });
    const page = toPage(rows, 2, idCursor.encode, (r) => Number(r));
    expect(page.items).toEqual([1, 2]);
    expect(idCursor.decode(page.nextCursor!)).toBe('2');
  });
});
