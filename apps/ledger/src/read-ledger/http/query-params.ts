import { cursorCodec, toPage as page } from '@mm/platform';
import { z } from 'zod';
import type { TimeCursor } from '../payments.read';

export { invalidCursor, pageFields, parseParams } from '@mm/platform';

export { timeRangeFields } from '@mm/contracts';

const validTime = (time: string) => !Number.isNaN(Date.parse(time.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')));
const timeCursor = cursorCodec<TimeCursor>(
  z.tuple([z.string().min(1).max(64).refine(validTime), z.string().min(1).max(128)]).transform(([time, id]) => ({ time, id })),
  (key) => [key.time, key.id],
);

export const encodeCursor = timeCursor.encode;
export const decodeCursor = timeCursor.decode;

/** A page of rows fetched with one extra; its cursor is the last row's time key. */
export const toPage = <R, T>(rows: R[], limit: number, keyOf: (row: R) => TimeCursor, map: (row: R) => T) =>
  page(rows, limit, (row) => encodeCursor(keyOf(row)), map);
