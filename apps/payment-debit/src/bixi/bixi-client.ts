import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import type { BixiCallResult } from '../debits/bixi-outcome';

export interface BixiClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxSockets: number;
}

const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * `POST {BIXI_BASE_URL}/3.0/pay` on node:http rather than fetch, because the retry rule needs to know whether
 * the connection was ever established: an error before `connect` provably sent nothing (refused, DNS, connect
 * timeout); anything after it may have reached Bixi. A reused keep-alive socket counts as connected.
 */
export class BixiClient {
  private readonly url: URL;
  private readonly agent: HttpAgent;

  constructor(private readonly o: BixiClientOptions) {
    this.url = new URL('3.0/pay', o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`);
    const Agent = this.url.protocol === 'https:' ? HttpsAgent : HttpAgent;
    // Idle sockets are closed well before a typical server's keep-alive timeout, to avoid racing its close.
    this.agent = new Agent({ keepAlive: true, maxSockets: o.maxSockets, timeout: 4000 });
  }

  pay(body: string, requestId: string): Promise<BixiCallResult> {
    return new Promise((resolve) => {
      let sent = false;
      let settled = false;
      const finish = (result: BixiCallResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(totalTimer);
        resolve(result);
      };
      const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${this.o.token}`,
          'Content-Length': Buffer.byteLength(body),
          'X-Request-Id': requestId,
        },
      });
      const fail = (error: Error) =>
        finish(
          sent
            ? { kind: 'no_answer', reason: `connection failed after sending: ${errorText(error)}` }
            : { kind: 'not_sent', reason: errorText(error) },
        );
      const connectTimer = setTimeout(
        () => !sent && req.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNECTTIMEOUT' })),
        this.o.connectTimeoutMs,
      );
      const totalTimer = setTimeout(() => {
        if (sent) finish({ kind: 'no_answer', reason: `no answer within ${this.o.timeoutMs} ms` });
        req.destroy(new Error('timeout'));
      }, this.o.timeoutMs);
      req.on('socket', (socket) => {
        if (req.reusedSocket || !socket.connecting) sent = true;
        else socket.once('connect', () => (sent = true));
      });
      req.on('error', fail);
      req.on('response', (res) => void readBody(res).then((r) => finish({ kind: 'answered', status: res.statusCode ?? 0, ...r }), fail));
      req.end(body);
    });
  }

  /** Nest calls this at shutdown (the client is a provider): idle keep-alive sockets must not hold the process. */
  onApplicationShutdown(): void {
    this.agent.destroy();
  }
}

function readBody(res: IncomingMessage): Promise<{ body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
    });
    res.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), truncated: size > MAX_RESPONSE_BYTES }));
    res.on('aborted', () => reject(new Error('response aborted')));
    res.on('error', reject);
  });
}

const errorText = (error: Error) => {
  const code = (error as Error & { code?: string }).code;
  return code ? `${code}: ${error.message}` : error.message;
};
