// Runs before every test file (jest `setupFiles`): each file gets its own Kafka namespace, so the topics and consumer
// groups of the services it starts, and of its own producers and collectors, are its alone. Nothing a suite publishes
// reaches another suite or the development stack of `npm start`. `npm test` names its run (MM_TEST_RUN) and deletes
// the run's `test.<run>.` topics at the end.
const { randomBytes } = require('node:crypto');

const run = /^[a-z0-9-]{1,40}$/.test(process.env.MM_TEST_RUN ?? '') ? process.env.MM_TEST_RUN : 'local';
process.env.KAFKA_TOPIC_PREFIX = `test.${run}.${randomBytes(4).toString('hex')}.`;
