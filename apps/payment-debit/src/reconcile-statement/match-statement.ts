import type { SettledOutcome } from '../debits/bixi-outcome';
import { bookRow, type BookCommand, type BreakDraft, type StatementLine } from './statement';

/** Bixi statuses that mean the customer was debited, and those that mean they were not. */
const DEBITED = new Set(['approved', 'success', 'successful', 'completed']);
const NOT_DEBITED = new Set(['declined', 'rejected', 'failed', 'cancelled', 'canceled']);

/** The account as Bixi writes it: without a leading + or 00. */
const account = (value: string) => value.trim().replace(/^(\+|00)/, '');

export interface Resolution {
  command: BookCommand;
  line: StatementLine;
  outcome: SettledOutcome;
}

export interface Decisions {
  resolutions: Resolution[];
  breaks: BreakDraft[];
}

/** SPEC §9: same receiptId, account and amount, `created` within the window of the command's submission. */
export function lineMatches(c: BookCommand, line: StatementLine, windowMs: number): boolean {
  return (
    c.receiptId === line.receiptId &&
    account(c.accountNumber) === account(line.accountNumber) &&
    c.amount.currency === line.amount.currency &&
    c.amount.amountMinor === line.amount.amountMinor &&
    c.submittedAt !== null &&
    Math.abs(new Date(line.created).getTime() - c.submittedAt.getTime()) <= windowMs
  );
}

/** The money of a line that differs from an approved command's, in words; undefined when all agree. */
function moneyDifference(c: BookCommand, line: StatementLine): string | undefined {
  const diffs: string[] = [];
  if (c.amount.currency !== line.amount.currency || c.amount.amountMinor !== line.amount.amountMinor)
    diffs.push(`amount ${line.amount.amountMinor} ${line.amount.currency} ≠ ours ${c.amount.amountMinor} ${c.amount.currency}`);
  if (c.chargesMinor !== null && c.chargesMinor !== line.charges.amountMinor)
    diffs.push(`charges ${line.charges.amountMinor} ≠ ours ${c.chargesMinor}`);
  if (c.totalMinor !== null && c.totalMinor !== line.total.amountMinor)
    diffs.push(`total ${line.total.amountMinor} ≠ ours ${c.totalMinor}`);
  return diffs.length > 0 ? diffs.join('; ') : undefined;
}

/** What a single matching line says happened to an UNKNOWN command, or why it cannot say. */
function outcomeOfLine(line: StatementLine): SettledOutcome | { reason: string; type: 'AMOUNT_MISMATCH' | 'AMBIGUOUS' } {
  if (NOT_DEBITED.has(line.status))
    return { state: 'DECLINED', reason: `Bixi statement: status ${line.status}`, bixiStatus: line.status, bixiTransactionId: line.id };
  if (!DEBITED.has(line.status)) return { type: 'AMBIGUOUS', reason: `status ${line.status} is not final` };
  if (BigInt(line.total.amountMinor) + BigInt(line.charges.amountMinor) !== BigInt(line.amount.amountMinor))
    return {
      type: 'AMOUNT_MISMATCH',
      reason: `total ${line.total.amountMinor} + charges ${line.charges.amountMinor} ≠ amount ${line.amount.amountMinor}`,
    };
  return {
    state: 'APPROVED',
    transaction: {
      bixiTransactionId: line.id,
      ...(line.referenceId ? { referenceId: line.referenceId } : {}),
      ...(line.issuer ? { issuer: line.issuer } : {}),
      ...(line.issuerTransactionId ? { issuerTransactionId: line.issuerTransactionId } : {}),
      bixiStatus: 'approved',
      charges: line.charges,
      total: line.total,
    },
  };
}

const draft = (type: BreakDraft['type'], key: string, lines: StatementLine[], commands: BookCommand[], detail: string): BreakDraft => ({
  key: `${type}:${key}`,
  type,
  statementRows: lines.map((l) => l.columns),
  bookRows: commands.map(bookRow),
  detail: detail.slice(0, 2000),
});

/**
 * Matches a statement's new lines with the debit commands that share their receipts (SPEC §9). A line carrying the
 * Bixi id of one of our commands is compared with it; an UNKNOWN command with exactly one matching line, that no
 * other UNKNOWN command also matches, is resolved by it; everything else is a break for an operator. `lines` are the
 * lines new to us (earlier statements' lines were matched when they came); duplicates are looked for among all the
 * statement's lines (`fileLines`).
 */
export function matchStatement(
  lines: readonly StatementLine[],
  commands: readonly BookCommand[],
  windowMs: number,
  fileLines: readonly StatementLine[] = lines,
): Decisions {
  const breaks: BreakDraft[] = [];
  const resolutions: Resolution[] = [];
  const duplicated = new Set<string>();
  const byReceipt = new Map<string, StatementLine[]>();
  for (const line of fileLines) byReceipt.set(line.receiptId, [...(byReceipt.get(line.receiptId) ?? []), line]);
  for (const [receiptId, group] of byReceipt) {
    if (group.length < 2) continue;
    group.forEach((l) => duplicated.add(l.id));
    const ours = commands.filter((c) => c.receiptId === receiptId);
    const ids = group.map((l) => l.id).sort();
    breaks.push(
      draft('DUPLICATE', `${receiptId}:${ids.join(',')}`, group, ours, `${group.length} statement lines for receiptId ${receiptId}`),
    );
  }

  const byBixiId = new Map(commands.filter((c) => c.bixiTransactionId).map((c) => [c.bixiTransactionId!, c]));
  const unmatched: StatementLine[] = [];
  for (const line of lines) {
    const ours = byBixiId.get(line.id);
    if (!ours) unmatched.push(line);
    else if (ours.state === 'APPROVED') {
      const difference = moneyDifference(ours, line);
      if (difference) breaks.push(draft('AMOUNT_MISMATCH', line.id, [line], [ours], difference));
    } else if (DEBITED.has(line.status)) {
      const detail = `Bixi debited transaction ${line.id} (status ${line.status}) but our command is ${ours.state}`;
      breaks.push(draft('MISSING_IN_BOOKS', line.id, [line], [ours], detail));
    }
  }

  const claimants = new Map<StatementLine, BookCommand[]>();
  const candidates = new Map<BookCommand, StatementLine[]>();
  for (const c of commands) {
    if (c.state !== 'UNKNOWN' || c.resolvedAt !== null) continue;
    const found = unmatched.filter((l) => lineMatches(c, l, windowMs));
    if (found.length === 0) continue;
    candidates.set(c, found);
    for (const l of found) claimants.set(l, [...(claimants.get(l) ?? []), c]);
  }
  for (const [c, found] of candidates) {
    const rivals = [...new Set(found.flatMap((l) => claimants.get(l)!))];
    if (found.length > 1 || rivals.length > 1) {
      const detail = `${found.length} matching lines for ${rivals.length} UNKNOWN debits (${rivals.map((r) => r.commandId).join(', ')}); left for maker-checker`;
      const key = [...found.map((l) => l.id), ...rivals.map((r) => r.commandId)].sort().join(',');
      breaks.push(draft('AMBIGUOUS', key, found, rivals, detail));
      continue;
    }
    const line = found[0]!;
    const outcome = outcomeOfLine(line);
    if ('type' in outcome)
      breaks.push(draft(outcome.type, `${line.id}:${c.commandId}`, [line], [c], `UNKNOWN debit ${c.commandId}: ${outcome.reason}`));
    else resolutions.push({ command: c, line, outcome });
  }

  for (const line of unmatched) {
    if (claimants.has(line) || duplicated.has(line.id)) continue;
    const detail = `Bixi transaction ${line.id} (receiptId ${line.receiptId}, status ${line.status}) matches no debit of ours`;
    breaks.push(draft('MISSING_IN_BOOKS', line.id, [line], [], detail));
  }
  // One break per key: the UNKNOWN debits of one ambiguous group all find it.
  return { resolutions, breaks: [...new Map(breaks.map((b) => [b.key, b])).values()] };
}

/** An approved command of the statement's day(s) that no line of any statement lists. */
export const missingInStatement = (c: BookCommand): BreakDraft =>
  draft(
    'MISSING_IN_STATEMENT',
    c.commandId,
    [],
    [c],
    `approved debit ${c.commandId} (Bixi ${c.bixiTransactionId ?? '?'}) is in no statement`,
  );
