/**
 * DI token of a service's `KafkaConsumerServer`. A module that provides it gets its `@EventPattern` handlers served by
 * `createHttpApp`, which connects the transport as a hybrid microservice and starts it once the application is initialised.
 */
export const CONSUMER_TRANSPORT = Symbol('CONSUMER_TRANSPORT');
