import { useState, type FormEvent } from 'react';
import { api, formatMoney, formatTime, type Session } from '../api';
import { Problem, StateBadge, useLoad } from '../components';
import { CheckerDecision } from '../decision';

interface Money {
  amountMinor: string;
  currency: string;
}
interface UnknownDebit {
  commandId: string;
  accountNumber: string;
  amount: Money | null;
  receiptId: string;
  updatedAt: string;
}
interface Proposal {
  proposalId: string;
  commandId: string;
  outcome: 'DEBITED' | 'NOT_DEBITED';
  bixiTransactionId: string | null;
  referenceId: string | null;
  issuerTransactionId: string | null;
  charges: Money | null;
  total: Money | null;
  reason: string | null;
  evidence: string;
  makerId: string;
  createdAt: string;
}
interface Queue {
  debits: { items: UnknownDebit[]; nextCursor: string | null };
  proposals: Proposal[];
  suspense: {
    asOf: string;
    totals: { currency: string; count: number; amountMinor: string }[];
    items: { commandId: string; ageSeconds: number }[];
  };
}

type MoneyModule = typeof import('@mm/contracts/money');

/**
 * Decimal text as integer minor units of the debit's currency, by the contracts' rules (never through a float); charges
 * and total may be zero. The contracts' module (with zod) is loaded only when a maker submits, not with every page.
 */
function minorUnits(money: MoneyModule, text: string, currency: string, label: string): Money {
  try {
    return money.toMinorUnits(text, currency);
  } catch (error) {
    if (error instanceof money.AmountParseError && error.code === 'not_positive' && /^0+(\.0+)?$/.test(text.trim()))
      return { amountMinor: '0', currency };
    throw new Error(`${label}: ${(error as Error).message}`);
  }
}

const age = (seconds: number) => {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
};

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * UNKNOWN debits, resolved by two people: a maker proposes what Bixi really did, another operator with the checker
 * role approves or rejects it. Buttons follow the operator's roles, and nobody is offered their own proposal.
 */
export function ResolveUnknownPage({ session, onError }: { session: Session; onError: (e: unknown) => void }) {
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad<Queue>(`/api/resolutions/queue?v=${version}`, onError, 5000);
  const [selected, setSelected] = useState<UnknownDebit | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const maker = session.roles.includes('maker');
  const checker = session.roles.includes('checker');

  const write = async (what: () => Promise<unknown>, success: string) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(success);
      setSelected(null);
      setRejecting(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setProblem((e as Error).message);
      onError(e);
    } finally {
      setBusy(false);
    }
  };

  const propose = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!selected?.amount) return;
    const form = new FormData(event.currentTarget);
    const currency = selected.amount.currency;
    let body: Record<string, unknown>;
    try {
      const money = await import('@mm/contracts/money');
      body =
        text(form, 'outcome') === 'NOT_DEBITED'
          ? { outcome: 'NOT_DEBITED', reason: text(form, 'reason'), evidence: text(form, 'evidence') }
          : {
              outcome: 'DEBITED',
              bixiTransactionId: text(form, 'bixiTransactionId'),
              referenceId: text(form, 'referenceId'),
              issuerTransactionId: text(form, 'issuerTransactionId'),
              charges: minorUnits(money, text(form, 'charges'), currency, 'Charges'),
              total: minorUnits(money, text(form, 'total'), currency, 'Total'),
              evidence: text(form, 'evidence'),
            };
    } catch (e) {
      setProblem((e as Error).message);
      return;
    }
    const path = `/api/resolutions/debits/${encodeURIComponent(selected.commandId)}`;
    void write(() => api(path, { method: 'POST', body }), `Proposed for debit ${selected.commandId}: a checker decides next.`);
  };

  const decide = (p: Proposal, decision: 'approve' | 'reject', reason?: string) =>
    void write(
      () => api(`/api/resolutions/${encodeURIComponent(p.proposalId)}/${decision}`, { method: 'POST', body: reason ? { reason } : {} }),
      decision === 'approve'
        ? `Approved: debit ${p.commandId} is resolved ${p.outcome}.`
        : `Rejected the proposal for debit ${p.commandId}.`,
    );

  const openFor = new Set(data?.proposals.map((p) => p.commandId));
  const ageOf = new Map(data?.suspense.items.map((i) => [i.commandId, i.ageSeconds]));
  const secondsSince = (iso: string) => Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 1000));

  return (
    <>
      <h1>UNKNOWN debits</h1>
      <p className="muted">
        Debits whose outcome Bixi never told us. A maker proposes what Bixi really did, with evidence; another operator with the checker
        role approves (which books it) or rejects it.
      </p>
      <Problem error={error} />
      <Problem error={problem} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {data && (
        <>
          <section className="card" aria-labelledby="suspense-title">
            <h2 id="suspense-title">Open suspense</h2>
            {data.suspense.totals.length === 0 ? (
              <p className="stat-value">Nothing in suspense</p>
            ) : (
              <ul className="totals">
                {data.suspense.totals.map((t) => (
                  <li key={t.currency} className="stat-value">
                    {formatMoney(t.amountMinor, t.currency)} <span className="muted small">({t.count} open)</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted small">The ledger's bixi-suspense, as of {formatTime(data.suspense.asOf)}</p>
          </section>

          <section className="card" aria-labelledby="queue-title">
            <h2 id="queue-title">Waiting for an outcome</h2>
            {data.debits.items.length === 0 ? (
              <p>No debit is UNKNOWN.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Command</th>
                    <th scope="col">Account</th>
                    <th scope="col">Receipt</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                    <th scope="col">Unknown for</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {data.debits.items.map((d) => (
                    <tr key={d.commandId}>
                      <td>
                        <a href={`#/debits/${encodeURIComponent(d.commandId)}`}>{d.commandId}</a>
                      </td>
                      <td>{d.accountNumber}</td>
                      <td>{d.receiptId}</td>
                      <td className="num">{d.amount ? formatMoney(d.amount.amountMinor, d.amount.currency) : '—'}</td>
                      <td>{age(ageOf.get(d.commandId) ?? secondsSince(d.updatedAt))}</td>
                      <td>
                        {openFor.has(d.commandId) ? (
                          <span className="badge badge-info">proposed</span>
                        ) : maker && d.amount ? (
                          <button type="button" className="button-secondary" onClick={() => setSelected(d)}>
                            Propose outcome<span className="visually-hidden"> for {d.commandId}</span>
                          </button>
                        ) : (
                          <StateBadge state="UNKNOWN" />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {selected?.amount && maker && (
            <form className="card propose" onSubmit={(e) => void propose(e)} aria-labelledby="propose-title">
              <h2 id="propose-title">Propose the outcome of {selected.commandId}</h2>
              <p>
                {formatMoney(selected.amount.amountMinor, selected.amount.currency)} from {selected.accountNumber}, receipt{' '}
                {selected.receiptId}. When debited, total + charges must equal this amount.
              </p>
              <fieldset>
                <legend>What Bixi did</legend>
                <label>
                  <input type="radio" name="outcome" value="DEBITED" defaultChecked /> Debited
                </label>
                <label>
                  <input type="radio" name="outcome" value="NOT_DEBITED" /> Not debited
                </label>
              </fieldset>
              <div className="fields">
                <TextField name="bixiTransactionId" label="Bixi transaction id (debited)" />
                <TextField name="referenceId" label="Reference id (debited)" />
                <TextField name="issuerTransactionId" label="Issuer transaction id (debited)" />
                <TextField name="charges" label={`Charges in ${selected.amount.currency} (debited)`} inputMode="decimal" />
                <TextField name="total" label={`Total in ${selected.amount.currency} (debited)`} inputMode="decimal" />
                <TextField name="reason" label="Reason (not debited)" />
              </div>
              <div className="field">
                <label htmlFor="evidence">Evidence: what you saw, and where</label>
                <textarea id="evidence" name="evidence" required minLength={3} maxLength={2048} rows={3} />
              </div>
              <p className="actions">
                <button type="submit" disabled={busy}>
                  Submit proposal
                </button>{' '}
                <button type="button" className="button-secondary" onClick={() => setSelected(null)}>
                  Cancel
                </button>
              </p>
            </form>
          )}

          <section className="card proposals" aria-labelledby="proposals-title">
            <h2 id="proposals-title">Pending proposals</h2>
            {data.proposals.length === 0 ? (
              <p>No proposal is waiting for a checker.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Debit</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Bixi's transaction or reason</th>
                    <th scope="col" className="nowrap">
                      Maker
                    </th>
                    <th scope="col">Proposed</th>
                    <th scope="col">Evidence</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {data.proposals.map((p) => (
                    <tr key={p.proposalId}>
                      <td className="wide">
                        <a href={`#/debits/${encodeURIComponent(p.commandId)}`}>{p.commandId}</a>
                      </td>
                      <td className="nowrap">
                        <StateBadge state={p.outcome} />
                      </td>
                      <td>
                        {p.outcome === 'DEBITED' ? (
                          <dl className="facts">
                            <Fact term="Transaction" value={p.bixiTransactionId} />
                            <Fact term="Reference" value={p.referenceId} />
                            <Fact term="Issuer transaction" value={p.issuerTransactionId} />
                            <Fact term="Charges" value={p.charges && formatMoney(p.charges.amountMinor, p.charges.currency)} />
                            <Fact term="Total" value={p.total && formatMoney(p.total.amountMinor, p.total.currency)} />
                          </dl>
                        ) : (
                          p.reason
                        )}
                      </td>
                      <td className="nowrap">{p.makerId}</td>
                      <td className="when">{formatTime(p.createdAt)}</td>
                      <td className="wide">{p.evidence}</td>
                      <td className="decision nowrap">
                        <CheckerDecision
                          id={p.proposalId}
                          what={`the proposal for ${p.commandId}`}
                          checker={checker}
                          own={p.makerId === session.username}
                          busy={busy}
                          rejecting={rejecting === p.proposalId}
                          onApprove={() => decide(p, 'approve')}
                          onStartRejecting={() => setRejecting(p.proposalId)}
                          onReject={(reason) => decide(p, 'reject', reason)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}

const TextField = ({ name, label, inputMode }: { name: string; label: string; inputMode?: 'decimal' }) => (
  <div className="field">
    <label htmlFor={name}>{label}</label>
    <input id={name} name={name} inputMode={inputMode} autoComplete="off" maxLength={128} />
  </div>
);

const Fact = ({ term, value }: { term: string; value: string | null }) => (
  <div className="fact">
    <dt>{term}</dt>
    <dd>{value ?? '—'}</dd>
  </div>
);
