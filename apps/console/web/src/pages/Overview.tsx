import { formatTime } from '../api';
import { Problem, Stat, useLoad } from '../components';
import { FlowChart, type FlowPoint } from './FlowChart';
import { SuspenseByAge, type AgeBucket } from './SuspenseByAge';

interface Overview {
  at: string;
  flow: FlowPoint[];
  ingestOutbox: { backlog: number | null; oldestAgeSeconds: number | null };
  debitOutbox: { backlog: number | null; oldestAgeSeconds: number | null };
  consumerLag: { service: string; lag: number | null }[];
  deadLetters: { service: string; total: number | null }[];
  unknownDebits: { count: number | null; capped: boolean };
  suspenseByAge: AgeBucket[] | null;
  unavailable: string[];
}

const show = (n: number | null, unit = '') => (n === null ? 'n/a' : `${n}${unit}`);
export const REFRESH_MS = 5000;

export function OverviewPage({ onError }: { onError: (e: unknown) => void }) {
  const { data, error } = useLoad<Overview>('/api/overview', onError, REFRESH_MS);
  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <p className="muted small" aria-live="polite">
          {data ? `Updated ${formatTime(data.at)} · refreshes every ${REFRESH_MS / 1000} s` : 'Loading…'}
        </p>
      </div>
      <Problem error={error} />
      {data && data.unavailable.length > 0 && (
        <p className="warning" role="status">
          Not available right now: {data.unavailable.join(', ')}.
        </p>
      )}
      {data && (
        <>
          <FlowChart points={data.flow} />
          <div className="stats">
            <Stat
              label="Ingest outbox"
              value={show(data.ingestOutbox.backlog)}
              hint={`oldest waiting ${show(data.ingestOutbox.oldestAgeSeconds, ' s')}`}
              tone={(data.ingestOutbox.oldestAgeSeconds ?? 0) > 60 ? 'warn' : undefined}
            />
            <Stat
              label="Debit outbox"
              value={show(data.debitOutbox.backlog)}
              hint={`oldest waiting ${show(data.debitOutbox.oldestAgeSeconds, ' s')}`}
            />
            {data.consumerLag.map((c) => (
              <Stat key={c.service} label={`Consumer lag: ${c.service}`} value={show(c.lag)} hint="messages behind" />
            ))}
            {data.deadLetters.map((d) => (
              <Stat
                key={d.service}
                label={`Dead letters: ${d.service}`}
                value={show(d.total)}
                hint="since the service started"
                tone={(d.total ?? 0) > 0 ? 'bad' : undefined}
              />
            ))}
            <Stat
              label="Debits in UNKNOWN"
              value={`${show(data.unknownDebits.count)}${data.unknownDebits.capped ? '+' : ''}`}
              hint="in suspense, waiting for a decision"
              tone={(data.unknownDebits.count ?? 0) > 0 ? 'warn' : undefined}
            />
          </div>
          <SuspenseByAge buckets={data.suspenseByAge} />
        </>
      )}
    </>
  );
}
