import type { FormEvent } from 'react';
import { formatMoney, formatTime } from '../api';
import { Problem, StateBadge, useLoad } from '../components';

interface Money {
  amountMinor: string;
  currency: string;
}
interface PaymentRow {
  paymentId: string;
  providerId: string;
  customerId: string;
  transactionId: string;
  amount: Money;
  time: string;
}
interface DebitRow {
  commandId: string;
  state: string;
  accountNumber: string;
  amount: Money;
  requestedAt: string;
  resultAt: string | null;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const FIELDS = [
  'kind',
  'providerId',
  'customerId',
  'msisdn',
  'transactionId',
  'accountNumber',
  'commandId',
  'state',
  'date',
  'cursor',
] as const;
const STATES = ['REQUESTED', 'APPROVED', 'DECLINED', 'FAILED', 'UNKNOWN', 'EXPIRED', 'NOT_DEBITED'];

export function SearchPage({ query, onError }: { query: URLSearchParams; onError: (e: unknown) => void }) {
  const kind = query.get('kind') === 'debits' ? 'debits' : 'payments';
  const params = new URLSearchParams();
  for (const f of FIELDS) if (query.get(f)) params.set(f, query.get(f)!);
  const searched = query.has('kind');
  const { data, error } = useLoad<Page<PaymentRow | DebitRow>>(searched ? `/api/search?${params}` : null, onError);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const id = String(form.get('id') ?? '').trim();
    const k = String(form.get('kind'));
    if (id) {
      window.location.hash = `#/${k}/${encodeURIComponent(id)}`;
      return;
    }
    const next = new URLSearchParams();
    for (const [key, value] of form) if (key !== 'id' && String(value).trim()) next.set(key, String(value).trim());
    window.location.hash = `#/search?${next}`;
  };

  return (
    <>
      <h1>Search</h1>
      <form className="card search" onSubmit={submit} aria-label="Search payments and debits">
        <fieldset>
          <legend>Find</legend>
          <label>
            <input type="radio" name="kind" value="payments" defaultChecked={kind === 'payments'} /> Payments
          </label>
          <label>
            <input type="radio" name="kind" value="debits" defaultChecked={kind === 'debits'} /> Debits
          </label>
        </fieldset>
        <div className="fields">
          <Field name="id" label="Payment id or command id" value={null} />
          <Field name="providerId" label="Provider" value={query.get('providerId')} />
          <Field name="customerId" label="Customer" value={query.get('customerId')} />
          <Field name="msisdn" label="Subscriber MSISDN (payments)" type="tel" value={query.get('msisdn')} />
          <Field name="transactionId" label="Transaction id (payments)" value={query.get('transactionId')} max={128} />
          <Field name="accountNumber" label="Account number" value={query.get('accountNumber')} max={128} />
          <Field name="commandId" label="Command id (debits)" value={query.get('commandId')} />
          <div className="field">
            <label htmlFor="state">State (debits)</label>
            <select id="state" name="state" defaultValue={query.get('state') ?? ''}>
              <option value="">any</option>
              {STATES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </div>
          <Field name="date" label="Date (UTC)" type="date" value={query.get('date')} />
        </div>
        <button type="submit">Search</button>
      </form>
      <Problem error={error} />
      {data && (
        <section aria-label="Results" className="card">
          {data.items.length === 0 ? (
            <p className="muted">Nothing found.</p>
          ) : kind === 'payments' ? (
            <Payments rows={data.items as PaymentRow[]} />
          ) : (
            <Debits rows={data.items as DebitRow[]} />
          )}
          {data.nextCursor && (
            <p>
              <a href={`#/search?${withCursor(params, data.nextCursor)}`}>Next page</a>
            </p>
          )}
        </section>
      )}
    </>
  );
}

const withCursor = (params: URLSearchParams, cursor: string) => {
  const next = new URLSearchParams(params);
  next.set('cursor', cursor);
  return next;
};

interface FieldProps {
  name: string;
  label: string;
  value: string | null;
  type?: string;
  max?: number;
}

const Field = ({ name, label, value, type = 'text', max = 64 }: FieldProps) => (
  <div className="field">
    <label htmlFor={name}>{label}</label>
    <input id={name} name={name} type={type} defaultValue={value ?? ''} maxLength={max} />
  </div>
);

const Payments = ({ rows }: { rows: PaymentRow[] }) => (
  <table>
    <thead>
      <tr>
        <th scope="col">Time</th>
        <th scope="col">Payment</th>
        <th scope="col">Provider</th>
        <th scope="col">Customer</th>
        <th scope="col">Transaction</th>
        <th scope="col" className="num">
          Amount
        </th>
      </tr>
    </thead>
    <tbody>
      {rows.map((p) => (
        <tr key={p.paymentId}>
          <td>{formatTime(p.time)}</td>
          <td>
            <a href={`#/payments/${encodeURIComponent(p.paymentId)}`}>{p.paymentId}</a>
          </td>
          <td>{p.providerId}</td>
          <td>{p.customerId}</td>
          <td>{p.transactionId}</td>
          <td className="num">{formatMoney(p.amount.amountMinor, p.amount.currency)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

const Debits = ({ rows }: { rows: DebitRow[] }) => (
  <table>
    <thead>
      <tr>
        <th scope="col">Requested</th>
        <th scope="col">Command</th>
        <th scope="col">State</th>
        <th scope="col">Account</th>
        <th scope="col" className="num">
          Amount
        </th>
      </tr>
    </thead>
    <tbody>
      {rows.map((d) => (
        <tr key={d.commandId}>
          <td>{formatTime(d.requestedAt)}</td>
          <td>
            <a href={`#/debits/${encodeURIComponent(d.commandId)}`}>{d.commandId}</a>
          </td>
          <td>
            <StateBadge state={d.state} />
          </td>
          <td>{d.accountNumber}</td>
          <td className="num">{formatMoney(d.amount.amountMinor, d.amount.currency)}</td>
        </tr>
      ))}
    </tbody>
  </table>
);
