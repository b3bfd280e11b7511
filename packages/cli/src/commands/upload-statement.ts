import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';

export interface StatementUpload {
  /** The import route, e.g. http://127.0.0.1:3003/v1/statements/provider. */
  url: string;
  /** An operator bearer token with the maker role. */
  token: string;
  file: string;
  contentType: 'text/csv' | 'application/x-ndjson';
  /** Called as bytes leave: how many were sent of how many. */
  onProgress?: (sent: number, total: number) => void;
}

/** Streams a file to `url` as the request body (never read whole into memory), reporting progress; answers the status and JSON body. */
export async function uploadStatementFile(o: StatementUpload): Promise<{ status: number; text: string; body: unknown }> {
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
  return { status: res.status, text, body };
}
