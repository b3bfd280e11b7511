import { createReadStream, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';

export interface StatementUpload {
  /** The ledger's import route, e.g. http://127.0.0.1:3003/v1/statements/provider. */
  url: string;
  /** An operator bearer token with the maker role. */
  token: string;
  file: string;
  contentType: 'text/csv' | 'application/x-ndjson';
  /** Called as bytes leave: how many were sent of how many. */
  onProgress?: (sent: number, total: number) => void;
}

/** Streams a file to `url` as the request body (never read whole into memory), reporting progress; answers the status and JSON body. */
export async function uploadStatementFile(o: StatementUpload): Promise<{ status: number; body: unknown }> {
  const total = statSync(o.file).size;
  let sent = 0;
  async function* chunks() {
    for await (const chunk of createReadStream(o.file, { highWaterMark: 64 * 1024 })) {
      sent += (chunk as Buffer).length;
      o.onProgress?.(sent, total);
      yield chunk as Buffer;
    }
  }
  const res = await fetch(o.url, {
    method: 'POST',
    headers: { 'content-type': o.contentType, 'content-length': String(total), authorization: `Bearer ${o.token}` },
    body: Readable.toWeb(Readable.from(chunks())) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body };
}

interface ImportOptions {
  url: string;
  token?: string;
  format?: string;
}

/** `mm statements import provider <file>`: a provider's settlement statement into the ledger, with a progress bar on stderr. */
export function registerProviderStatementImport(program: Command): void {
  const statements =
    program.commands.find((c) => c.name() === 'statements') ?? program.command('statements').description('reconciliation statements');
  const imports = statements.commands.find((c) => c.name() === 'import') ?? statements.command('import').description('import a statement');
  imports
    .command('provider <file>')
    .description(
      "import a provider's settlement statement (CSV providerId,transactionId,amount,currency,msisdn,time, or NDJSON) into the ledger",
    )
    .option('--url <url>', 'ledger base URL', 'http://127.0.0.1:3003')
    .option('--token <jwt>', 'operator token with the maker role (default: $MM_OPERATOR_TOKEN; see `mm operator token`)')
    .option('--format <format>', 'csv or ndjson (default: from the file extension, .ndjson/.jsonl → ndjson, else csv)')
    .action(async (file: string, o: ImportOptions) => {
      const token = o.token ?? process.env.MM_OPERATOR_TOKEN;
      if (!token) throw new Error('give --token or set MM_OPERATOR_TOKEN (mm operator token --sub <you> --role maker)');
      const format = o.format ?? (['.ndjson', '.jsonl'].includes(extname(file).toLowerCase()) ? 'ndjson' : 'csv');
      if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
      const bar = new SingleBar(
        { format: 'upload [{bar}] {percentage}% {value}/{total} bytes', stream: process.stderr },
        Presets.shades_classic,
      );
      bar.start(statSync(file).size, 0);
      const res = await uploadStatementFile({
        url: `${o.url.replace(/\/+$/, '')}/v1/statements/provider`,
        token,
        file,
        contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        onProgress: (sent) => bar.update(sent),
      }).finally(() => bar.stop());
      process.stdout.write(`${JSON.stringify(res.body, null, 2)}\n`);
      if (res.status !== 200) throw new Error(`the ledger refused the statement (HTTP ${res.status})`);
    });
}
