import type * as Jose from 'jose' with { 'resolution-mode': 'import' };

/**
 * jose 6 (the maintained major) ships ES modules only. Node loads them with require() since 20.19, but TypeScript's
 * `node16` module mode refuses a static import of an ES module from CommonJS, so the types come from a type-only
 * import and the module from require(). Jest compiles jose to CommonJS (jest.preset.js).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const jose = require('jose') as typeof Jose;
export type { JSONWebKeySet, JWK } from 'jose' with { 'resolution-mode': 'import' };
