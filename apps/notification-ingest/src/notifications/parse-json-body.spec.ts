import { IngestError } from './ingest.errors';
import { parseJsonBody } from './parse-json-body';

const refusal = (raw: string) => {
  try {
    parseJsonBody(Buffer.from(raw));
  } catch (error) {
    return error instanceof IngestError ? { status: error.status, errors: error.errors } : error;
  }
  return undefined;
};

describe('parseJsonBody', () => {
  it('parses a plain object', () => {
    expect(parseJsonBody(Buffer.from('{"a":1,"b":"x"}'))).toEqual({ a: 1, b: 'x' });
  });

  it.each(['{', '{"a":1,}', "{'a':1}", '', '\u0000'])('refuses malformed JSON %p with 400 on the body', (raw) => {
    expect(refusal(raw)).toEqual({ status: 400, errors: [{ field: 'body', message: 'not valid JSON' }] });
  });

  it.each([
    ['{"__proto__":{"polluted":true}}', '__proto__'],
    ['{"\\u005f_proto__":{"polluted":true}}', '__proto__'],
    ['{"a":{"b":[{"__proto__":{}}]}}', '__proto__'],
    ['{"constructor":{"prototype":{"polluted":true}}}', 'constructor.prototype'],
  ])('refuses %s naming %s, and pollutes nothing', (raw, field) => {
    expect(refusal(raw)).toMatchObject({ status: 400, errors: [{ field }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('allows a harmless "constructor" string field', () => {
    expect(parseJsonBody(Buffer.from('{"constructor":"x"}'))).toEqual({ constructor: 'x' });
  });
});
