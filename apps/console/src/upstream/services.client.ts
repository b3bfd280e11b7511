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
  get<T>(service: ServiceName, path: string, operator: Operator): Promise<Upstream<T>> {
    return this.call<T>(service, 'GET', path, operator);
  }

  /** POST a JSON body to a write route as this operator (the service checks the operator's roles). */
  post<T>(service: ServiceName, path: string, operator: Operator, body: unknown): Promise<Upstream<T>> {
    return this.call<T>(service, 'POST', path, operator, body);
  }

  private async call<T>(service: ServiceName, method: string, path: string, operator: Operator, body?: unknown): Promise<Upstream<T>> {
    const { url, apiKey } = this.target(service);
    const token = await signOperatorToken(this.jwk, {
      sub: operator.sub,
      roles: operator.roles,
      ttlSeconds: this.config.CONSOLE_OPERATOR_TOKEN_TTL_SECONDS,
      issuer: this.config.OPERATOR_JWT_ISSUER,
      audience: this.config.OPERATOR_JWT_AUDIENCE,
    });
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (apiKey) headers['x-api-key'] = apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.config.CONSOLE_UPSTREAM_TIMEOUT_MS),
      });
      return { status: res.status, body: (await res.json()) as T };
    } catch (error) {
      this.log.warn(`${service} unavailable: ${(error as Error).name}`);
      return { status: 'unavailable' };
    }
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
