export * from './bboxx-signer';
export * from './database';
export * from './kafka';
export * from './wait';
export * from './service-process';
export * from './process-cpu';
export * from './dedicated-kafka';
export * from './metrics';
