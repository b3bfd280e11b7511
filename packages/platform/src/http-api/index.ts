export * from './api-error.filter';
export * from './pages';
