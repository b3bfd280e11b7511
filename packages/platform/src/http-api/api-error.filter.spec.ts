import { ApiErrorSchema } from '@mm/contracts';
import { BadRequestException, ConflictException, HttpException, Logger, UnauthorizedException, type ArgumentsHost } from '@nestjs/common';
import { ApiErrorFilter } from './api-error.filter';

function answer(exception: unknown, url = '/v1/debits') {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const reply = {
    status: (s: number) => ((sent.status = s), reply),
    header: (k: string, v: string) => ((sent.headers[k] = v), reply),
    send: (b: unknown) => ((sent.body = b), reply),
  };
  const http = { getResponse: () => reply, getRequest: () => ({ url, id: 'corr-1' }) };
  new ApiErrorFilter().catch(exception, { getType: () => 'http', switchToHttp: () => http } as unknown as ArgumentsHost);
  return sent;
}

const fastifyError = (code: string, statusCode: number, message: string) => Object.assign(new Error(message), { code, statusCode });

describe('ApiErrorFilter', () => {
  it.each([
    [
      new UnauthorizedException('X-API-Key is missing or wrong'),
      { statusCode: 401, error: 'UNAUTHORIZED', message: 'X-API-Key is missing or wrong' },
    ],
    [new ConflictException({ message: 'commandId reused' }), { statusCode: 409, error: 'CONFLICT', message: 'commandId reused' }],
    [
      new BadRequestException({ message: 'invalid query: limit: too big', details: [{ field: 'limit', message: 'too big' }] }),
      {
        statusCode: 400,
        error: 'BAD_REQUEST',
        message: 'invalid query: limit: too big',
        details: [{ field: 'limit', message: 'too big' }],
      },
    ],
    [
      fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'),
      { statusCode: 413, error: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' },
    ],
    [
      fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type: application/xml'),
      { statusCode: 415, error: 'UNSUPPORTED_MEDIA_TYPE', message: 'Content-Type must be application/json' },
    ],
    [
      fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, "Body is not valid JSON but content-type is set to 'application/json'"),
      { statusCode: 400, error: 'BAD_REQUEST', message: 'the body is not valid JSON' },
    ],
  ])('answers %p with the shared error body', (exception, body) => {
    const sent = answer(exception);
    expect(sent.status).toBe(body.statusCode);
    expect(sent.body).toEqual(body);
    expect(ApiErrorSchema.strict().parse(sent.body)).toEqual(body);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
  });

  it('never sends the text of an unexpected error, and logs it', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = new Error('password authentication failed for user "debit"');
    const sent = answer(error);
    expect(sent).toMatchObject({ status: 500, body: { statusCode: 500, error: 'INTERNAL', message: 'internal error' } });
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ correlationId: 'corr-1', err: error }), expect.any(String));
    logged.mockRestore();
  });

  it('leaves the bodies of the operational routes as they are', () => {
    const readiness = { status: 'unavailable', checks: { database: { status: 'down' } } };
    expect(answer(new HttpException(readiness, 503), '/health/ready')).toMatchObject({ status: 503, body: readiness });
  });

  const pgError = (code: string | undefined, message: string) => Object.assign(new Error(message), code ? { code } : {});

  it.each([
    pgError('57P01', 'terminating connection due to administrator command'),
    pgError('55000', 'database "mm_debit" is not currently accepting connections'),
    pgError('08006', 'connection failure'),
    pgError('53300', 'sorry, too many clients already'),
    pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
    pgError(undefined, 'Connection terminated unexpectedly'),
    pgError(undefined, 'timeout exceeded when trying to connect'),
  ])('answers 503 with Retry-After when the database is out of reach (%p), never quoting the driver', (error) => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sent = answer(error);
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({ statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: 'storage unavailable; retry later' });
    expect(sent.headers['retry-after']).toBe('1');
    expect(JSON.stringify(warned.mock.calls)).not.toContain(error.message);
    warned.mockRestore();
  });

  it.each([
    pgError('55000', 'ledger table postings is append-only'),
    pgError('23505', 'duplicate key value violates unique constraint'),
    pgError('42P01', 'relation "debit.x" does not exist'),
  ])('keeps refusals that retrying cannot cure out of 503 (%p)', (error) => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(answer(error)).toMatchObject({ status: 500, headers: { 'content-type': expect.any(String) } });
    expect(answer(error).headers['retry-after']).toBeUndefined();
    logged.mockRestore();
  });
});
