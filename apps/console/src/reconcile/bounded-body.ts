import { Readable, Transform } from 'node:stream';

/**
 * `source` as a web stream that fails once more than `maxBytes` have passed (then `exceeded()` is true): only what
 * the reader pulls is read, so the console never holds more than a chunk or two of a statement.
 */
export function boundedBody(source: Readable, maxBytes: number): { body: ReadableStream<Uint8Array>; exceeded(): boolean } {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new Error(`more than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
  source.on('error', (error) => limiter.destroy(error));
  source.pipe(limiter);
  return { body: Readable.toWeb(limiter) as ReadableStream<Uint8Array>, exceeded: () => seen > maxBytes };
}
