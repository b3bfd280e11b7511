import { BreakTypeSchema, CloseBreakSchema, csvCell, csvRecord } from './breaks';

describe('breaks', () => {
  it('escapes cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=cmd|/C calc!A0')).toBe("'=cmd|/C calc!A0");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('plain')).toBe('plain');
  });

  it('quotes cells with commas, quotes and line breaks, and writes empty cells for null', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
    expect(csvRecord(['x', null, 12n, '\r\n'])).toBe('x,,12,"\'\r\n"\r\n');
  });

  it('knows the five break types and wants a reason to close one', () => {
    expect(BreakTypeSchema.options).toEqual(['MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS']);
    expect(CloseBreakSchema.safeParse({ reason: '  ' }).success).toBe(false);
    expect(CloseBreakSchema.safeParse({ reason: 'settled by phone with Bixi', extra: 1 }).success).toBe(false);
    expect(CloseBreakSchema.parse({ reason: ' settled by phone with Bixi ' }).reason).toBe('settled by phone with Bixi');
  });
});
