import { formatTime } from '../api';
import { Problem, StateBadge, useLoad } from '../components';
import { EventsList, PostingsTable, type LedgerEvent, type Posting } from './Postings';

interface Debit {
  commandId: string;
  state: string;
  request: LedgerEvent | null;
  results: (LedgerEvent & { outcome?: string })[];
  postings: Posting[];
}

export function DebitDetail({ id, onError }: { id: string; onError: (e: unknown) => void }) {
  const { data, error } = useLoad<Debit>(`/api/debits/${encodeURIComponent(id)}`, onError);
  return (
    <>
      <p>
        <a href="#/search?kind=debits">← Search</a>
      </p>
      <h1>Debit {id}</h1>
      <Problem error={error} />
      {data && (
        <>
          <section className="card" aria-labelledby="history-title">
            <h2 id="history-title">
              State <StateBadge state={data.state} />
            </h2>
            <ol className="timeline">
              <li>
                <StateBadge state="REQUESTED" /> <span className="muted small">{formatTime(data.request?.time)}</span>
              </li>
              {data.results.map((r) => (
                <li key={r.id}>
                  <StateBadge state={r.outcome} /> <span className="muted small">{formatTime(r.time)}</span>
                </li>
              ))}
            </ol>
          </section>
          <PostingsTable postings={data.postings} />
          <EventsList events={[...(data.request ? [data.request] : []), ...data.results]} />
        </>
      )}
    </>
  );
}
