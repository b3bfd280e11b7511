export * from './operator-auth.config';
export * from './operator-auth.module';
export * from './operator.guard';
export * from './operator-verifier';
export * from './operator-token';
export * from './operator-actions';
export * from './operator-actions.page';
