import { formatMoney, formatTime } from '../api';
import { Problem, useLoad } from '../components';
import { EventsList, PostingsTable, type LedgerEvent, type Posting } from './Postings';

interface Payment {
  paymentId: string;
  storedAt: string;
  payment: Record<string, unknown> & { amount?: { amountMinor: string; currency: string } };
  events: LedgerEvent[];
  postings: Posting[];
}

const FIELDS = ['transactionId', 'providerId', 'customerId', 'operator', 'subscriberMsisdn', 'accountNumber', 'reference'];

export function PaymentDetail({ id, roles, onError }: { id: string; roles: string[]; onError: (e: unknown) => void }) {
  const { data, error } = useLoad<Payment>(`/api/payments/${encodeURIComponent(id)}`, onError);
  const received = data?.events.find((e) => e.type === 'mm.payment.received.v1');
  const correction =
    roles.includes('maker') && received && data?.payment.amount
      ? `#/corrections?${new URLSearchParams({ eventId: received.id, currency: data.payment.amount.currency })}`
      : undefined;
  return (
    <>
      <p>
        <a href="#/search">← Search</a>
      </p>
      <h1>Payment {id}</h1>
      <Problem error={error} />
      {data && (
        <>
          <section className="card" aria-label="Payment">
            <dl className="facts">
              <div className="fact">
                <dt>Amount</dt>
                <dd>{data.payment.amount ? formatMoney(data.payment.amount.amountMinor, data.payment.amount.currency) : '—'}</dd>
              </div>
              {FIELDS.filter((f) => data.payment[f] !== undefined).map((f) => (
                <div key={f} className="fact">
                  <dt>{f}</dt>
                  <dd>{String(data.payment[f])}</dd>
                </div>
              ))}
              <div className="fact">
                <dt>Stored</dt>
                <dd>{formatTime(data.storedAt)}</dd>
              </div>
            </dl>
          </section>
          {correction && (
            <p>
              <a className="button-link" href={correction}>
                Propose a correction
              </a>
            </p>
          )}
          <PostingsTable postings={data.postings} />
          <EventsList events={data.events} />
        </>
      )}
    </>
  );
}
