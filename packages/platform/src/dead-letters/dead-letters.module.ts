import { Module, type DynamicModule } from '@nestjs/common';
import { kafkaProvider, topicNamespaceProvider } from '../kafka';
import { openItemsGaugesProvider } from '../observability/scrape-gauges';
import { DeadLetterInboxService } from './dead-letter-inbox.service';
import { DeadLetterReplayService } from './dead-letter-replay.service';
import { DeadLettersController } from './dead-letters.controller';
import { DEAD_LETTERS_CONFIG, DEAD_LETTERS_OPTIONS, type DeadLettersFeatureOptions } from './dead-letters.options';

/**
 * A consuming service's dead letters: an inbox copying its DLQ topic(s) into `dead_letters` (the table comes from the
 * service's migrations: `createDeadLettersTable`), `GET/POST /v1/dead-letters…` for operators (needs the global
 * OperatorAuthModule) with replays audited in `operator_actions`, and the `dead_letters_open` gauge (global
 * MetricsModule). Needs the app's TypeORM DataSource; builds its own Kafka client and namespace from `config`.
 */
@Module({})
export class DeadLettersModule {
  static forFeature(options: DeadLettersFeatureOptions): DynamicModule {
    return {
      module: DeadLettersModule,
      controllers: [DeadLettersController],
      providers: [
        { provide: DEAD_LETTERS_OPTIONS, useValue: options },
        { provide: DEAD_LETTERS_CONFIG, useValue: options.config },
        kafkaProvider(DEAD_LETTERS_CONFIG, `${options.service}-dead-letters`),
        topicNamespaceProvider(DEAD_LETTERS_CONFIG),
        openItemsGaugesProvider(
          {
            count: { name: 'dead_letters_open', help: 'Dead letters waiting for an operator (not replayed)' },
            age: { name: 'dead_letters_oldest_open_age_seconds', help: 'Age of the oldest dead letter not replayed' },
          },
          `select count(*) as count, extract(epoch from now() - min(received_at)) as age from dead_letters where state = 'open'`,
        ),
        DeadLetterInboxService,
        DeadLetterReplayService,
      ],
    };
  }
}
