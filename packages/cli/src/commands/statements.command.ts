import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { STATEMENT_MEDIA_TYPES } from '@mm/contracts';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { mintOperatorToken } from './operator.command';
import { uploadStatementFile, type StatementUpload } from './upload-statement';

/** Where each kind of statement is imported: Bixi's into payment-debit, a provider's settlement statement into the ledger. */
export const STATEMENT_KINDS = {
  bixi: { url: process.env.MM_DEBIT_URL ?? 'http://127.0.0.1:3002', path: '/v1/statements/bixi' },
  provider: { url: process.env.MM_LEDGER_URL ?? 'http://127.0.0.1:3003', path: '/v1/statements/provider' },
} as const satisfies Record<string, { url: string; path: string }>;
type Kind = keyof typeof STATEMENT_KINDS;

interface ImportOptions {
  url?: string;
  token?: string;
  format?: string;
  period?: string;
}

const FORMATS: Record<string, string> = {
  csv: STATEMENT_MEDIA_TYPES.csv,
  jsonl: STATEMENT_MEDIA_TYPES.jsonl,
  ndjson: STATEMENT_MEDIA_TYPES.jsonl,
};

export function registerStatements(program: Command): void {
  const statements = program.command('statements').description('reconciliation statements');
  statements
    .command('import')
    .description('import a statement file (streamed, with a progress bar on stderr) and print the import result')
    .argument('<kind>', `statement kind: ${Object.keys(STATEMENT_KINDS).join(', ')}`)
    .argument('<file>', 'CSV (with the header line) or JSON lines (.jsonl / .ndjson)')
    .option('--url <url>', 'base URL of the service that imports this kind (default per kind)')
    .option('--token <jwt>', 'operator token with the maker role (default: MM_OPERATOR_TOKEN, else a development token)')
    .option('--format <format>', 'csv or jsonl (default: from the file extension)')
    .option(
      '--period <days>',
      'YYYY-MM-DD[..YYYY-MM-DD]: the statement is complete for these UTC days (bixi: absent UNKNOWNs are NOT_DEBITED)',
    )
    .action(async (kind: string, file: string, o: ImportOptions) => {
      if (!Object.prototype.hasOwnProperty.call(STATEMENT_KINDS, kind))
        throw new Error(`unknown statement kind ${kind}: use ${Object.keys(STATEMENT_KINDS).join(', ')}`);
      const target = STATEMENT_KINDS[kind as Kind];
      const format = (o.format ?? extname(file).slice(1)).toLowerCase();
      const contentType = FORMATS[format];
      if (!contentType) throw new Error('give --format csv or jsonl (the file extension does not say)');
      const size = statSync(file).size;
      const token =
        o.token ?? process.env.MM_OPERATOR_TOKEN ?? (await mintOperatorToken({ sub: 'mm-cli', roles: ['maker'], ttlSeconds: 600 }));
      const bar = new SingleBar(
        { format: `${kind} statement [{bar}] {value}/{total} bytes`, stream: process.stderr },
        Presets.shades_classic,
      );
      bar.start(size, 0);
      const res = await uploadStatementFile({
        url: `${(o.url ?? target.url).replace(/\/+$/, '')}${target.path}${o.period ? `?period=${encodeURIComponent(o.period)}` : ''}`,
        token,
        file,
        contentType: contentType as StatementUpload['contentType'],
        onProgress: (sent) => bar.update(sent),
      }).finally(() => bar.stop());
      if (res.status < 200 || res.status >= 300) throw new Error(`import refused (${res.status}): ${res.text}`);
      process.stdout.write(`${res.text}\n`);
    });
}
