import { databaseReadiness, KAFKA, kafkaReadiness, type ReadinessCheck } from '@mm/platform';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

/** What /health/ready asks: PostgreSQL and Kafka. Owns the readiness admin client, so shutdown closes it. */
@Injectable()
export class IngestReadiness implements OnApplicationShutdown {
  private readonly kafka: ReturnType<typeof kafkaReadiness>;
  readonly checks: ReadinessCheck[];

  constructor(dataSource: DataSource, @Inject(KAFKA) kafka: Kafka) {
    this.kafka = kafkaReadiness(kafka);
    this.checks = [databaseReadiness(dataSource), this.kafka];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.kafka.close();
  }
}
