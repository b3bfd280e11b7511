export * from './consumer-controller.decorator';
export * from './consumer.metrics';
export * from './kafka-consumer.server';
export * from './kafka-transport.types';
export * from './consumer-transport.token';
export * from './key-scheduler';
export * from './offset-tracker';
export * from './debit-commands.module';
