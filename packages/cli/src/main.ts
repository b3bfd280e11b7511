import { Command } from 'commander';
import { registerDebit } from './commands/debit.command';
import { registerDlq } from './commands/dlq.command';
import { registerNotify } from './commands/notify.command';
import { registerOperator } from './commands/operator.command';
import { registerProviderStatementImport } from './commands/provider-statement.command';
import { registerTail } from './commands/tail.command';

const program = new Command('mm')
  .description('mm command line for integrators and operators of the mobile-money pipeline')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Examples:
  MM_INGEST_SECRET=mm-dev-secret-12000-not-for-production mm notify --amount 200.0 --currency RWF
  MM_INGEST_SECRET=… mm notify --count 1000 --concurrency 32       # load an ingest, with a progress bar
  mm debit --account 252600000000 --amount 1.01 --receipt INV1234
  mm tail mm.payment.received.v1 --from-beginning --limit 10
  mm dlq show ledger
  mm dlq replay ledger
  mm operator token --sub alice --role maker                     # a development operator token
  MM_OPERATOR_TOKEN=… mm statements import provider settlement.csv  # a provider statement into the ledger`,
  );

registerNotify(program);
registerDebit(program);
registerTail(program);
registerDlq(program);
registerOperator(program);
registerProviderStatementImport(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`mm: ${(error as Error).message}\n`);
  process.exit(1);
});
