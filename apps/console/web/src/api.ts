/** The console's API (same origin, session cookie): JSON in and out; writes carry the session's CSRF token. */
export interface Session {
  username: string;
  roles: string[];
  csrfToken: string;
  expiresAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
export const rememberCsrf = (session: Session | undefined) => {
  csrfToken = session?.csrfToken ?? '';
};
/** The session's CSRF token, for writes made without `api` (an upload with progress). */
export const currentCsrf = () => csrfToken;

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new ApiError(res.status, body.message ?? res.statusText);
  return body as T;
}

/** Integer minor units as decimal text (the ISO 4217 exponent from Intl); never through a float. */
export function formatMoney(amountMinor: string, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // an unknown code: two decimals
  }
  const negative = amountMinor.startsWith('-');
  const units = (negative ? amountMinor.slice(1) : amountMinor).padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${whole}${digits > 0 ? `.${units.slice(-digits)}` : ''} ${currency}`;
}

export const formatTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—';
