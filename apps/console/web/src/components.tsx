import { useEffect, useState, type ReactNode } from 'react';
import { api } from './api';

/** Loads a path (again every `refreshMs` when given); errors go to `onError` (a 401 signs out) and are shown. */
export function useLoad<T>(path: string | null, onError: (e: unknown) => void, refreshMs?: number) {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    if (!path) return;
    let live = true;
    const load = () =>
      api<T>(path).then(
        (data) => live && setState({ data }),
        (e: unknown) => {
          if (!live) return;
          setState((s) => ({ ...s, error: (e as Error).message }));
          onError(e);
        },
      );
    void load();
    const timer = refreshMs ? setInterval(() => void load(), refreshMs) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [path, onError, refreshMs]);
  return state;
}

const TONE: Record<string, string> = {
  APPROVED: 'good',
  DEBITED: 'good',
  DECLINED: 'bad',
  FAILED: 'bad',
  NOT_DEBITED: 'bad',
  UNKNOWN: 'warn',
  EXPIRED: 'neutral',
  REQUESTED: 'info',
};
export const StateBadge = ({ state }: { state: string | undefined }) => (
  <span className={`badge badge-${TONE[state ?? ''] ?? 'neutral'}`}>{state ?? '—'}</span>
);

export const Stat = ({ label, value, hint, tone }: { label: string; value: ReactNode; hint?: string; tone?: 'warn' | 'bad' }) => (
  <section className={`card stat ${tone ? `stat-${tone}` : ''}`} aria-label={label}>
    <h2>{label}</h2>
    <p className="stat-value">{value}</p>
    {hint && <p className="muted small">{hint}</p>}
  </section>
);

export const Problem = ({ error }: { error?: string }) =>
  error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;

export const Json = ({ value }: { value: unknown }) => (
  <details>
    <summary>Envelope</summary>
    <pre>{JSON.stringify(value, null, 2)}</pre>
  </details>
);
