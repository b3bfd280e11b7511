import { correlationIdFrom, CorrelationIdSchema } from './correlation-id';
import { UUID_PATTERN } from './uuid';

describe('correlation id', () => {
  it("keeps a caller's well-formed id, the first of a repeated header", () => {
    expect(correlationIdFrom('order-42:retry.1_A')).toBe('order-42:retry.1_A');
    expect(correlationIdFrom(['first', 'second'])).toBe('first');
    expect(correlationIdFrom('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it.each([undefined, '', 'has space', 'quote"', 'nul\u0000', 'é', 'x'.repeat(129)])('replaces %p with a new UUIDv7', (header) => {
    const id = correlationIdFrom(header);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
  });

  it('makes the new id with the generator given', () => {
    expect(correlationIdFrom('bad id', () => 'generated')).toBe('generated');
  });

  it('documents the same rule it applies', () => {
    expect(CorrelationIdSchema.safeParse('a.b:c-d_e').success).toBe(true);
    expect(CorrelationIdSchema.safeParse('a/b').success).toBe(false);
  });
});
