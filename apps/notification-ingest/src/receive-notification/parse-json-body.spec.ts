import { JsonDecimal } from '@mm/contracts';
import { INGEST_ERROR_STATUS } from './http/rejection.filter';
import { IngestError } from './ingest.errors';
import { parseJsonBody } from './parse-json-body';

const refusal = (raw: string) => {
  try {
    parseJsonBody(Buffer.from(raw));
  } catch (error) {
    return error instanceof IngestError ? { status: INGEST_ERROR_STATUS[error.code], errors: error.errors } : error;
  }
  return undefined;
};

describe('parseJsonBody', () => {
  it('parses a plain object, keeping each number as the exact text written', () => {
    expect(parseJsonBody(Buffer.from('{"a":1,"b":"x","c":99999999999999.99,"d":1e2}'))).toEqual({
      a: new JsonDecimal('1'),
      b: 'x',
      c: new JsonDecimal('99999999999999.99'),
      d: new JsonDecimal('1e2'),
    });
  });

  it('refuses a key repeated with another value, naming the body', () => {
    expect(refusal('{"amount":1,"amount":1000}')).toEqual({ status: 400, errors: [{ field: 'body', message: 'not valid JSON' }] });
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
