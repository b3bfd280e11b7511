import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Socket } from 'node:net';
import { SANDBOX_CONFIG, type SandboxConfig } from '../config';

/**
 * Requests the "timeout" account never answers. They are dropped after SANDBOX_HOLD_MS, or at shutdown so
 * the server can close, without a response either way.
 */
@Injectable()
export class HeldRequests implements BeforeApplicationShutdown {
  private readonly held = new Map<Socket, NodeJS.Timeout>();

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {}

  hold(socket: Socket): void {
    const timer = setTimeout(() => this.release(socket), this.config.SANDBOX_HOLD_MS);
    this.held.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.held.delete(socket);
    });
  }

  beforeApplicationShutdown(): void {
    for (const socket of [...this.held.keys()]) this.release(socket);
  }

  private release(socket: Socket): void {
    clearTimeout(this.held.get(socket));
    this.held.delete(socket);
    socket.destroy();
  }
}
