export * from './bootstrap';
export * from './config';
export * from './database';
export * from './health';
export * from './kafka';
export * from './logger';
export * from './metrics';
export * from './outbox-relay';
