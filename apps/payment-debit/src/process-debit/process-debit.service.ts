import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BixiClient } from '../bixi/bixi-client';
import { outcomeOf, type BixiOutcome } from '../debits/bixi-outcome';
import { renderPayBody } from '../bixi/bixi-request';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import { DebitMetrics } from '../debit.metrics';
import { deadlineOf, requestFingerprint, type DebitCommand, type DebitState } from '../debits/debit-command';
import { expiredResult, resolutionFor, resultFor } from '../debits/debit-results';
import { DEBIT_REPOSITORY, type ClaimResult, type DebitRepository, type InvalidCommand } from '../debits/debit.repository';

export type HandleResult =
  | { kind: 'finished'; state: DebitState }
  | { kind: 'duplicate'; state: DebitState }
  | { kind: 'conflict' }
  | { kind: 'recorded-invalid'; fresh: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Processing a debit command: a validated command is stored, claimed and sent to Bixi at most once. A redelivery of a
 * command past RECEIVED is a no-op; only a request that provably never left is retried (after giving the
 * claim back, so a crash during the wait cannot leave a false SUBMITTING).
 */
@Injectable()
export class ProcessDebitService {
  /** Owner id of this process's claims. */
  readonly instanceId = randomUUID();
  private readonly logger = new Logger(ProcessDebitService.name);

  constructor(
    @Inject(DEBIT_REPOSITORY) private readonly repository: DebitRepository,
    private readonly bixi: BixiClient,
    @Inject(DEBIT_CONFIG) private readonly config: DebitConfig,
    private readonly metrics: DebitMetrics,
  ) {}

  async handle(command: DebitCommand): Promise<HandleResult> {
    if (this.pastDeadline(command)) return this.expire(command);
    const received = await this.repository.receive(command, requestFingerprint(command), undefined, this.instanceId);
    if (received.kind === 'existing') {
      if (!received.sameRequest) return { kind: 'conflict' };
      if (received.state !== 'RECEIVED') return this.skip('duplicate', received.state);
    }
    return this.submit(command, received.kind === 'new' && received.claimed);
  }

  async recordInvalid(command: InvalidCommand): Promise<HandleResult> {
    const fresh = await this.repository.recordInvalid(command, resultFor(command, { state: 'FAILED', reasons: command.reasons }));
    if (fresh) this.metrics.outcomes.inc({ state: 'FAILED' });
    return { kind: 'recorded-invalid', fresh };
  }

  private async submit(c: DebitCommand, claimed: boolean): Promise<HandleResult> {
    const body = renderPayBody(c);
    for (let attempt = 0; ; attempt++) {
      const alreadyMine = attempt === 0 && claimed;
      // Checked before every claim: a command that waited (queued, or between connection retries) may have expired.
      if (!alreadyMine && this.pastDeadline(c)) return this.expire(c);
      const mine =
        alreadyMine || (await this.repository.claim(c.commandId, this.instanceId, (reason) => resultFor(c, { state: 'DECLINED', reason })));
      if (!mine) return this.skip('claimed-elsewhere', 'SUBMITTING');
      if (mine !== true) return this.overLimit(c, mine);
      const started = process.hrtime.bigint();
      const result = await this.bixi.pay(body, c.commandId);
      this.metrics.bixiSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      this.metrics.bixiCalls.inc({ result: result.kind === 'answered' ? String(result.status) : result.kind });
      let outcome: BixiOutcome;
      if (result.kind === 'not_sent') {
        if (attempt < this.config.BIXI_CONNECT_RETRIES) {
          await this.repository.release(c.commandId, this.instanceId);
          await sleep(this.config.BIXI_RETRY_BACKOFF_MS * 2 ** attempt);
          continue;
        }
        outcome = {
          state: 'FAILED',
          reasons: [`Bixi could not be reached after ${attempt + 1} attempts, nothing was sent: ${result.reason}`],
        };
      } else {
        outcome = outcomeOf(result, c.amount);
      }
      await this.finish(c, outcome);
      return { kind: 'finished', state: outcome.state };
    }
  }

  /** Over a debit limit: stored DECLINED (LIMIT_EXCEEDED) with its result by the claim; Bixi is never called. */
  private overLimit(c: DebitCommand, claim: Exclude<ClaimResult, boolean>): HandleResult {
    const { scope, measure } = claim.limitExceeded;
    this.metrics.outcomes.inc({ state: 'DECLINED' });
    this.metrics.limitExceeded.inc({ scope, measure });
    this.logger.warn({ commandId: c.commandId, correlationId: c.correlationId, reason: claim.reason }, 'debit declined: over a limit');
    return { kind: 'finished', state: 'DECLINED' };
  }

  private pastDeadline(c: DebitCommand): boolean {
    return Date.now() >= deadlineOf(c, this.config.DEBIT_MAX_COMMAND_AGE_MS).getTime();
  }

  /** EXPIRED with its result, once: a redelivery of an expired command finds it stored and publishes nothing. */
  private async expire(c: DebitCommand): Promise<HandleResult> {
    const deadline = deadlineOf(c, this.config.DEBIT_MAX_COMMAND_AGE_MS);
    const reason = `deadline ${deadline.toISOString()} passed before the command was sent to Bixi; nothing was debited`;
    const stored = await this.repository.expire(c, requestFingerprint(c), deadline, reason, expiredResult(c, deadline, reason));
    if (stored.kind === 'expired') {
      this.metrics.outcomes.inc({ state: 'EXPIRED' });
      return { kind: 'finished', state: 'EXPIRED' };
    }
    if (!stored.sameRequest) return { kind: 'conflict' };
    return this.skip('duplicate', stored.state);
  }

  /** Stores the outcome with its result event; retried briefly because Bixi has already answered. */
  private async finish(c: DebitCommand, outcome: BixiOutcome): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const stored = await this.repository.finish(c.commandId, this.instanceId, outcome, resultFor(c, outcome));
        if (stored) this.metrics.outcomes.inc({ state: outcome.state });
        else await this.resolveLate(c, outcome);
        return;
      } catch (error) {
        if (attempt >= 5) {
          // The row stays SUBMITTING and is reported UNKNOWN by the sweep; this line is the reconciliation trail.
          this.logger.error(
            { commandId: c.commandId, correlationId: c.correlationId, outcome, err: (error as Error).message },
            'could not store the Bixi outcome',
          );
          throw error;
        }
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  /**
   * The sweep reported this call UNKNOWN while Bixi was still answering it. A real answer now settles it: the
   * state moves on and `mm.debit.outcome-resolved.v1` tells the ledger, in one statement. Another UNKNOWN settles nothing.
   */
  private async resolveLate(c: DebitCommand, outcome: BixiOutcome): Promise<void> {
    const log = { commandId: c.commandId, correlationId: c.correlationId, state: outcome.state };
    if (outcome.state === 'UNKNOWN') {
      this.logger.warn(
        { ...log, reason: outcome.reason },
        'the call the sweep reported UNKNOWN ended without a usable answer; it stays UNKNOWN',
      );
      return;
    }
    const evidence =
      outcome.state === 'APPROVED'
        ? `Bixi approved transaction ${outcome.transaction.bixiTransactionId}`
        : outcome.state === 'DECLINED'
          ? outcome.reason
          : outcome.reasons.join('; ');
    const resolution = {
      kind: 'late-answer' as const,
      answeredAt: new Date().toISOString(),
      evidence: `answer to the call after the sweep had reported it UNKNOWN: ${evidence}`.slice(0, 2048),
    };
    const resolved = await this.repository.resolveLate(c.commandId, this.instanceId, outcome, resolutionFor(c, outcome, resolution));
    if (resolved) {
      this.metrics.outcomes.inc({ state: outcome.state });
      this.logger.warn(log, 'late Bixi answer recorded: the UNKNOWN command is resolved');
    } else {
      this.logger.error(log, 'claim lost before the outcome was stored, and the command is not an UNKNOWN of this instance to resolve');
    }
  }

  private skip(reason: string, state: DebitState): HandleResult {
    this.metrics.skipped.inc({ reason });
    return { kind: 'duplicate', state };
  }
}
