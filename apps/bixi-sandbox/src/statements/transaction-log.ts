import type { SandboxTransaction } from '../pay/transaction-response';

/**
 * Every transaction the sandbox created, in creation order, for its statements, including those whose answer it
 * withheld (the timeout and drop accounts: it did debit them). Bounded: at most `limit` are kept (about 400 bytes
 * each, so the default 50,000 hold some 20 MB); the oldest are forgotten first and counted in `forgotten`.
 */
export class TransactionLog {
  private transactions: SandboxTransaction[] = [];
  private forgottenCount = 0;

  constructor(private readonly limit: number) {}

  add(transaction: SandboxTransaction): SandboxTransaction {
    this.transactions.push(transaction);
    const excess = this.transactions.length - this.limit;
    if (excess > 0) {
      this.transactions.splice(0, excess);
      this.forgottenCount += excess;
    }
    return transaction;
  }

  /** The transactions created on one UTC day (`YYYY-MM-DD`), oldest first. */
  ofDay(day: string): SandboxTransaction[] {
    return this.transactions.filter((t) => t.created.startsWith(`${day}T`));
  }

  get forgotten(): number {
    return this.forgottenCount;
  }
}
