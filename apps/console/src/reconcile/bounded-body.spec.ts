import { Readable } from 'node:stream';
import { boundedBody } from './bounded-body';

const read = (body: ReadableStream<Uint8Array>) => new Response(body).text();

describe('bounded statement bodies', () => {
  it('passes a body within the bound through unchanged', async () => {
    const bounded = boundedBody(Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]), 8);
    expect(await read(bounded.body)).toBe('a,b\n1,2\n');
    expect(bounded.exceeded()).toBe(false);
  });

  it('fails once the body passes the bound, and says so', async () => {
    const bounded = boundedBody(Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n'), Buffer.from('3')]), 8);
    await expect(read(bounded.body)).rejects.toThrow('more than 8 bytes');
    expect(bounded.exceeded()).toBe(true);
  });
});
