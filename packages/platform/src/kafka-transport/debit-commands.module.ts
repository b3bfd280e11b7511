import { DebitCommandPublisher, TopicNamespace } from '@mm/contracts';
import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Partitioners, type Producer } from 'kafkajs';
import { createKafka } from '../kafka';
import { kafkaClientSecurity, type KafkaEnv } from '../kafka-security';
import { createLogger } from '../logger';

export interface DebitCommandsOptions {
  /** The calling service's validated config: brokers, TLS/SASL, topic prefix, log level. */
  config: { KAFKA_BROKERS: string[]; KAFKA_TOPIC_PREFIX: string; LOG_LEVEL: string } & KafkaEnv;
  /** Kafka client id, e.g. `billing`; also the default CloudEvents source `mm/<clientId>`. */
  clientId: string;
  source?: string;
}

const COMMAND_PRODUCER = Symbol('COMMAND_PRODUCER');

/** Connects the producer with the application and lets it flush and leave on shutdown. */
@Injectable()
class CommandProducerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(COMMAND_PRODUCER) private readonly producer: Producer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}

/**
 * Producer-only access to payment-debit for another Nest service: import `DebitCommandsModule.register(...)` and
 * inject `DebitCommandPublisher` (contracts' typed publisher: validates the command, builds the envelope, sends it on
 * the environment's command topic with acks=all from an idempotent producer). No consumer, no reply topics.
 */
@Module({})
export class DebitCommandsModule {
  static register(options: DebitCommandsOptions): DynamicModule {
    const { config, clientId } = options;
    return {
      module: DebitCommandsModule,
      providers: [
        {
          provide: COMMAND_PRODUCER,
          useFactory: () =>
            createKafka({
              brokers: config.KAFKA_BROKERS,
              clientId,
              logger: createLogger(clientId, config.LOG_LEVEL),
              ...kafkaClientSecurity(config),
            }).producer({
              idempotent: true,
              maxInFlightRequests: 1,
              createPartitioner: Partitioners.DefaultPartitioner,
            }),
        },
        {
          provide: DebitCommandPublisher,
          inject: [COMMAND_PRODUCER],
          useFactory: (producer: Producer) =>
            new DebitCommandPublisher(producer, options.source ?? `mm/${clientId}`, new TopicNamespace(config.KAFKA_TOPIC_PREFIX)),
        },
        CommandProducerLifecycle,
      ],
      exports: [DebitCommandPublisher],
    };
  }
}
