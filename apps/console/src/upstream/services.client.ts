import { signOperatorToken, type Operator } from '@mm/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONSOLE_CONFIG, signingJwkOf, type ConsoleConfig } from '../config';

export type ServiceName = 'ledger' | 'payment-debit' | 'notification-ingest';

/** A service's answer: its status and JSON body, or `unavailable` when it could not be reached in time. */
export type Upstream<T> = { status: number; body: T } | { status: 'unavailable' };

/**
 * The console's only way to the services: their HTTP APIs. Each call carries a short-lived operator JWT signed for the
 * signed-in operator (sub and roles; SPEC §9) and the service's API key where its read API requires one.
 */
@Injectable()
export class ServicesClient {
  private readonly log = new Logger(ServicesClient.name);
  private readonly jwk;

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {
    this.jwk = signingJwkOf(config);
  }

  private target(service: ServiceName): { url: string; apiKey?: string } {
    if (service === 'ledger') return { url: this.config.CONSOLE_LEDGER_URL, apiKey: this.config.CONSOLE_LEDGER_API_KEY };
    if (service === 'payment-debit') return { url: this.config.CONSOLE_DEBIT_URL, apiKey: this.config.CONSOLE_DEBIT_API_KEY };
    return { url: this.config.CONSOLE_INGEST_URL };
  }

  /** GET a JSON read route as this operator. */
  async get<T>(service: ServiceName, path: string, operator: Operator): Promise<Upstream<T>> {
    try {
      const res = await this.request(service, path, operator, { headers: { accept: 'application/json' } });
      return { status: res.status, body: (await res.json()) as T };
    } catch (error) {
      this.log.warn(`${service} unavailable: ${(error as Error).name}`);
      return { status: 'unavailable' };
    }
  }

  /** POST a JSON body to a write route as this operator (the service checks the operator's roles). */
  async post<T>(service: ServiceName, path: string, operator: Operator, body: unknown): Promise<Upstream<T>> {
    try {
      const res = await this.request(service, path, operator, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    } catch (error) {
      this.log.warn(`${service} unavailable: ${(error as Error).name}`);
      return { status: 'unavailable' };
    }
  }

  /**
   * Any call as this operator (a write, a streamed body or answer): the operator JWT and API key added to `init`'s
   * headers, within the upstream timeout unless `init` brings its own signal. Rejects when the service is unreachable.
   */
  async request(service: ServiceName, path: string, operator: Operator, init: RequestInit & { duplex?: 'half' } = {}): Promise<Response> {
    const { url, apiKey } = this.target(service);
    const token = await signOperatorToken(this.jwk, {
      sub: operator.sub,
      roles: operator.roles,
      ttlSeconds: this.config.CONSOLE_OPERATOR_TOKEN_TTL_SECONDS,
      issuer: this.config.OPERATOR_JWT_ISSUER,
      audience: this.config.OPERATOR_JWT_AUDIENCE,
    });
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (apiKey) headers.set('x-api-key', apiKey);
    return fetch(`${url}${path}`, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(this.config.CONSOLE_UPSTREAM_TIMEOUT_MS),
    });
  }

  /** A service's Prometheus text (`/metrics` is open on the services' internal network), or undefined. */
  async metrics(service: ServiceName): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.target(service).url}/metrics`, {
        signal: AbortSignal.timeout(this.config.CONSOLE_UPSTREAM_TIMEOUT_MS),
      });
      return res.ok ? await res.text() : undefined;
    } catch {
      return undefined;
    }
  }
}
