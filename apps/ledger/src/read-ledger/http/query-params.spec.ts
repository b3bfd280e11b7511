import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, toPage } from './query-params';

/** The ledger's time-key cursors (limit, parsing and pages in general: @mm/platform's pages.spec). */
describe('ledger list cursors', () => {
  it('round-trips a cursor', () => {
    const key = { time: '2026-11-23 05:11:53.743123+00', id: '019a-x' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    'not a cursor!',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["yesterday","x"]').toString('base64url'),
    'e30',
  ])('refuses the cursor %p with a 400', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadRequestException);
  });

  it('hands out a next cursor only when there is another row', () => {
    const rows = [1, 2, 3].map((n) => ({ time: `t${n}`, id: String(n) }));
    expect(
      toPage(
        rows,
        3,
        (r) => r,
        (r) => r.id,
      ),
    ).toEqual({ items: ['1', '2', '3'], nextCursor: null });
    const page = toPage(
      rows,
      2,
      (r) => r,
      (r) => r.id,
    );
    expect(page.items).toEqual(['1', '2']);
    expect(Buffer.from(page.nextCursor!, 'base64url').toString()).toBe('["t2","2"]');
  });
});
