export * from './dead-letter-record';
export * from './dead-letter.store';
export * from './dead-letter-inbox.service';
export * from './dead-letter-replay.service';
export * from './dead-letters.controller';
export * from './dead-letters.module';
export * from './dead-letters.options';
export * from './dead-letters-table';
