import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, formatMoney, formatTime } from '../api';
import { Problem } from '../components';
import { BalanceChart, type BalancePoint } from './BalanceChart';
import { DebitCredit } from './Postings';

interface AccountPosting {
  postingId: string;
  entryId: string;
  eventId: string;
  accountId: string;
  currency: string;
  amountMinor: string;
  bookedAt: string;
}
interface Account {
  accountId: string;
  createdAt: string;
  balances: { currency: string; balanceMinor: string; postings: number }[];
  recentPostings: AccountPosting[];
  nextCursor: string | null;
}

const SUGGESTIONS = ['bixi-suspense', 'bixi-settlement', 'fees:bixi', 'payer:', 'customer:', 'provider-clearing:'];

/** `#/accounts/<id>`: the search box, then the account's balances, its balance over time and its postings. */
export function BalancesPage({ accountId, onError }: { accountId: string; onError: (e: unknown) => void }) {
  const [account, setAccount] = useState<Account>();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setAccount(undefined);
    setProblem(undefined);
    if (!accountId) return;
    let live = true;
    api<Account>(`/api/accounts/${encodeURIComponent(accountId)}`).then(
      (a) => live && setAccount(a),
      (e: unknown) => {
        if (!live) return;
        setProblem((e as Error).message);
        onError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [accountId, onError]);

  const older = async () => {
    if (!account?.nextCursor) return;
    setBusy(true);
    try {
      const next = await api<Account>(`/api/accounts/${encodeURIComponent(accountId)}?cursor=${encodeURIComponent(account.nextCursor)}`);
      setAccount({ ...account, recentPostings: [...account.recentPostings, ...next.recentPostings], nextCursor: next.nextCursor });
    } catch (e) {
      setProblem((e as Error).message);
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get('account') ?? '').trim();
    if (id) window.location.hash = `#/accounts/${encodeURIComponent(id)}`;
  };

  return (
    <>
      <h1>{accountId ? `Account ${accountId}` : 'Balances'}</h1>
      <form className="card search" role="search" aria-label="Find an account" onSubmit={search}>
        <div className="fields">
          <div className="field">
            <label htmlFor="account">Account id</label>
            <input
              id="account"
              name="account"
              list="account-suggestions"
              required
              maxLength={200}
              autoComplete="off"
              defaultValue={accountId}
              key={accountId}
            />
            <datalist id="account-suggestions">
              {SUGGESTIONS.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </div>
          <button type="submit">Open account</button>
        </div>
        <p className="muted small">
          For example bixi-suspense, bixi-settlement, fees:bixi, payer:&lt;account number&gt;, customer:&lt;id&gt;.
        </p>
      </form>
      <Problem error={problem} />
      {account && <AccountView account={account} />}
      {account?.nextCursor && (
        <p>
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void older()}>
            Older postings
          </button>
        </p>
      )}
    </>
  );
}

/** The balance after each loaded posting, oldest first: back from today's balance through the newer postings (BigInt). */
function runningBalance(postings: AccountPosting[], currency: string, balanceMinor: string): BalancePoint[] {
  let after = BigInt(balanceMinor);
  const points: BalancePoint[] = [];
  for (const p of postings) {
    if (p.currency !== currency) continue;
    points.push({ bookedAt: p.bookedAt, balanceMinor: after });
    after -= BigInt(p.amountMinor);
  }
  return points.reverse();
}

function AccountView({ account }: { account: Account }) {
  const [currency, setCurrency] = useState(account.balances[0]?.currency ?? '');
  const balance = account.balances.find((b) => b.currency === currency);
  const points = useMemo(
    () => (balance ? runningBalance(account.recentPostings, balance.currency, balance.balanceMinor) : []),
    [account.recentPostings, balance],
  );
  return (
    <>
      <section className="card" aria-labelledby="balances-title">
        <h2 id="balances-title">Balances</h2>
        <ul className="totals">
          {account.balances.map((b) => (
            <li key={b.currency} className="stat-value">
              {formatMoney(b.balanceMinor, b.currency)} <span className="muted small">({b.postings} postings)</span>
            </li>
          ))}
        </ul>
        <p className="muted small">
          Debit positive, credit negative, as the ledger books them. First posting {formatTime(account.createdAt)}.
        </p>
        {account.balances.length > 1 && (
          <div className="field">
            <label htmlFor="chart-currency">Chart currency</label>
            <select id="chart-currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {account.balances.map((b) => (
                <option key={b.currency}>{b.currency}</option>
              ))}
            </select>
          </div>
        )}
      </section>
      {balance && points.length > 0 && <BalanceChart points={points} currency={balance.currency} />}
      <section className="card" aria-labelledby="account-postings-title">
        <h2 id="account-postings-title">Postings</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Booked</th>
              <th scope="col">Event</th>
              <th scope="col" className="num">
                Debit
              </th>
              <th scope="col" className="num">
                Credit
              </th>
            </tr>
          </thead>
          <tbody>
            {account.recentPostings.map((p) => (
              <tr key={p.postingId}>
                <td className="when">{formatTime(p.bookedAt)}</td>
                <td className="wide">{p.eventId}</td>
                <DebitCredit posting={p} />
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
