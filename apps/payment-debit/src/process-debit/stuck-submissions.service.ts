import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DEBIT_CONFIG, type DebitConfig } from '../config';
import { DebitMetrics } from '../debit.metrics';
import { resultFor } from '../debits/debit-results';
import { DEBIT_REPOSITORY, type DebitRepository } from '../debits/debit.repository';

const REASON = 'the service stopped while Bixi was being called; the debit may or may not have happened';

/**
 * A SUBMITTING row older than the Bixi timeout (plus grace) cannot still be in anyone's hands: its process
 * stopped mid-call. It becomes UNKNOWN and is reported — never sent again. Runs at start and periodically, so
 * a crashed instance's rows are reported even if it never comes back.
 */
@Injectable()
export class StuckSubmissionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StuckSubmissionsService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DEBIT_REPOSITORY) private readonly repository: DebitRepository,
    @Inject(DEBIT_CONFIG) private readonly config: DebitConfig,
    private readonly metrics: DebitMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.DEBIT_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const olderThan = this.config.BIXI_TIMEOUT_MS + this.config.DEBIT_STUCK_GRACE_MS;
      const stuck = await this.repository.markStuckUnknown(olderThan, REASON, (row) =>
        resultFor(row, { state: 'UNKNOWN', reason: REASON }),
      );
      for (const row of stuck) {
        this.metrics.outcomes.inc({ state: 'UNKNOWN' });
        this.logger.warn({ commandId: row.commandId, correlationId: row.correlationId }, 'command left in SUBMITTING is now UNKNOWN');
      }
      return stuck.length;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'stuck-submission sweep failed; will retry');
      return 0;
    }
  }
}
