import { formatMoney, formatTime } from '../api';
import { Json } from '../components';

export interface Posting {
  accountId: string;
  currency: string;
  amountMinor: string;
  bookedAt?: string;
}
export interface LedgerEvent {
  id: string;
  type: string;
  time: string;
  storedAt: string;
  source: { topic: string; partition: number; offset: string };
  envelope: unknown;
  outcome?: string;
}

/** A posting's two cells: debit positive, credit negative, as the ledger books them. */
export const DebitCredit = ({ posting: p }: { posting: Pick<Posting, 'amountMinor' | 'currency'> }) => (
  <>
    <td className="num">{p.amountMinor.startsWith('-') ? '' : formatMoney(p.amountMinor, p.currency)}</td>
    <td className="num">{p.amountMinor.startsWith('-') ? formatMoney(p.amountMinor.slice(1), p.currency) : ''}</td>
  </>
);

/** Debit positive, credit negative, as the ledger books them. */
export const PostingsTable = ({ postings }: { postings: Posting[] }) => (
  <section className="card" aria-labelledby="postings-title">
    <h2 id="postings-title">Postings</h2>
    {postings.length === 0 ? (
      <p className="muted">Nothing booked.</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col" className="num">
              Debit
            </th>
            <th scope="col" className="num">
              Credit
            </th>
          </tr>
        </thead>
        <tbody>
          {postings.map((p, i) => (
            <tr key={`${p.accountId}-${i}`}>
              <td>
                <a href={`#/accounts/${encodeURIComponent(p.accountId)}`}>{p.accountId}</a>
              </td>
              <DebitCredit posting={p} />
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

export const EventsList = ({ events, title = 'Events' }: { events: LedgerEvent[]; title?: string }) => (
  <section className="card" aria-label={title}>
    <h2>{title}</h2>
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id}>
          <p>
            <strong>{e.type}</strong> <span className="muted small">{formatTime(e.time)}</span>
          </p>
          <p className="muted small">
            {e.source.topic} · partition {e.source.partition} · offset {e.source.offset} · stored {formatTime(e.storedAt)}
          </p>
          <Json value={e.envelope} />
        </li>
      ))}
    </ol>
  </section>
);
