// `npm run lint:deps`: the layers of the monorepo, checked on every `npm test` (scripts/test.mjs) like lint.
// In each app, a use case and its domain sit in a folder (`receive-notification/`, `process-debit/`, `record-events/`…)
// with their transports beneath it (`http/`, `kafka/`, `postgres/`): adapters import use cases, never the reverse.

/**
 * Use-case and domain files of an app: in a folder of src/, not in an adapter folder, not a test. The Bixi sandbox is
 * left out: it is a fake of Bixi's HTTP API, HTTP through and through.
 */
const USE_CASE = {
  path: '^apps/[^/]+/src/[^/]+/',
  pathNot: ['/(http|kafka|postgres|cli|migrations)/', '\\.spec\\.ts$', '^apps/bixi-sandbox/'],
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules cannot be understood (or changed) one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'use-case-not-adapter',
      comment: 'A use case (or its domain) must not import the HTTP, Kafka or PostgreSQL adapters that call or serve it.',
      severity: 'error',
      from: USE_CASE,
      to: { path: ['^apps/[^/]+/src/(http|kafka|postgres)/', '^apps/[^/]+/src/[^/]+/(http|kafka|postgres)/'] },
    },
    {
      name: 'use-case-not-http-server',
      comment: 'A use case does not know the HTTP server: status codes and replies belong to the http/ adapter.',
      severity: 'error',
      from: USE_CASE,
      to: { path: '(^|/)node_modules/(fastify|@nestjs/platform-fastify)/' },
    },
    {
      name: 'domain-not-use-case',
      comment: "An app's domain folders (command model, postings, credentials, rate limit) import no use case or adapter.",
      severity: 'error',
      from: { path: '^apps/[^/]+/src/(debits|postings|credentials|rate-limit)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^apps/[^/]+/src/[^/]+/', pathNot: '^apps/[^/]+/src/(debits|postings|credentials|rate-limit)/' },
    },
    {
      name: 'packages-not-apps',
      comment: 'Shared packages serve the apps; they never reach into one.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'contracts-standalone',
      comment: 'packages/contracts is the shared language: it depends on no other workspace package (its tests may use @mm/testing).',
      severity: 'error',
      from: { path: '^packages/contracts/', pathNot: '\\.spec\\.ts$' },
      to: { path: ['^packages/(?!contracts/)', '(^|/)node_modules/@mm/(?!contracts/)'] },
    },
    {
      name: 'packages-not-root-scripts',
      comment: "The root scripts/ drive the repository (infra, tests); a package's code must not depend on them.",
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^scripts/' },
    },
  ],
  options: {
    // Imports of npm and workspace packages are recorded (so the rules above can forbid them) but not followed.
    doNotFollow: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
