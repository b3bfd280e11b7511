import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const BODY = JSON.stringify({ status: 'REJECTED', Description: 'malformed HTTP request', errors: [{ message: 'malformed HTTP request' }] });
const RESPONSE = [
  'HTTP/1.1 400 Bad Request',
  'Content-Type: application/json; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(BODY)}`,
  'Connection: close',
  '',
  BODY,
].join('\r\n');

/**
 * Requests Node's HTTP parser refuses (a header name with a space, as in the seed's `' Authorization'`, bad
 * framing) never reach the application; answer them in the BBOXX rejection shape too, instead of Fastify's.
 */
export function installClientErrorHandler(server: Server): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(RESPONSE);
  });
}
