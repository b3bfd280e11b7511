#!/usr/bin/env node
// mm-infra up|down|status: the development Kafka and PostgreSQL (see src/index.mjs). `npm run infra:up` etc. at the root.
import { down, status, up } from '../src/index.mjs';

const commands = {
  up: () => up(),
  down: () => down(),
  status: async () => console.log((await status()).join('\n')),
};
const run = commands[process.argv[2] ?? 'status'];
if (!run) {
  console.error('usage: mm-infra up|down|status');
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (error) => {
    console.error(`[infra] ${error.message}`);
    process.exit(1);
  },
);
