import { statementMediaType } from './statement-body';

describe('statement media types', () => {
  it('knows the two statement media types, parameters aside', () => {
    expect(statementMediaType('text/csv; charset=utf-8')).toBe('text/csv');
    expect(statementMediaType('Application/X-NDJSON')).toBe('application/x-ndjson');
    expect(statementMediaType('application/json')).toBeUndefined();
    expect(statementMediaType(undefined)).toBeUndefined();
  });
});
