import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const REFUSALS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request not received in time'],
};
const MALFORMED: [number, string, string] = [400, 'Bad Request', 'malformed HTTP request'];

function response([status, reason, description]: [number, string, string]): string {
  const body = JSON.stringify({ status: 'REJECTED', Description: description, errors: [{ message: description }] });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Requests Node's HTTP parser refuses (a header name with a space, as in the seed's `' Authorization'`, bad
 * framing, oversized headers) never reach the application; answer them in the BBOXX rejection shape too.
 */
export function installClientErrorHandler(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(response(REFUSALS[error.code ?? ''] ?? MALFORMED));
  });
}
