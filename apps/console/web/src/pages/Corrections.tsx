import { useState, type FormEvent } from 'react';
import { api, formatMoney, formatTime, type Session } from '../api';
import { Problem, StateBadge, useLoad } from '../components';
import { CheckerDecision } from '../decision';

interface Correction {
  id: string;
  state: 'PROPOSED' | 'APPROVED' | 'REJECTED';
  originalEventId: string;
  originalEventType: string;
  amount: { amountMinor: string; currency: string };
  reason: string;
  makerId: string;
  proposedAt: string;
  checkerId: string | null;
  decidedReason: string | null;
  decidedAt: string | null;
}

const STATES = ['PROPOSED', 'APPROVED', 'REJECTED'] as const;
const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * Corrections of booked entries, by two people: a maker proposes reversing (part of) a payment or a debit, another
 * operator with the checker role approves (the ledger books the reversal) or rejects it. Buttons follow the operator's
 * roles, and nobody is offered their own proposal.
 */
export function CorrectionsPage({ session, query, onError }: { session: Session; query: URLSearchParams; onError: (e: unknown) => void }) {
  const [state, setState] = useState('');
  const [version, setVersion] = useState(0);
  // The fragment is never sent: it only makes the list load again after a write.
  const { data, error } = useLoad<{ items: Correction[]; nextCursor: string | null }>(
    `/api/corrections${state ? `?state=${state}` : ''}#${version}`,
    onError,
    5000,
  );
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const maker = session.roles.includes('maker');
  const checker = session.roles.includes('checker');

  const write = async (what: () => Promise<unknown>, success: string, form?: HTMLFormElement) => {
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(success);
      setRejecting(null);
      form?.reset();
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
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const eventId = text(form, 'eventId');
    let amount;
    try {
      // The contracts' rules (never a float); loaded only when a maker submits.
      const money = await import('@mm/contracts/money');
      amount = money.toMinorUnits(text(form, 'amount'), text(form, 'currency').toUpperCase());
    } catch (e) {
      setProblem(`Amount: ${(e as Error).message}`);
      return;
    }
    void write(
      () => api('/api/corrections', { method: 'POST', body: { eventId, amount, reason: text(form, 'reason') } }),
      `Proposed reversing ${formatMoney(amount.amountMinor, amount.currency)} of event ${eventId}: a checker decides next.`,
      formElement,
    );
  };

  const decide = (c: Correction, decision: 'approve' | 'reject', reason?: string) =>
    void write(
      () => api(`/api/corrections/${encodeURIComponent(c.id)}/${decision}`, { method: 'POST', body: reason ? { reason } : {} }),
      decision === 'approve'
        ? `Approved: the ledger books the reversal of ${formatMoney(c.amount.amountMinor, c.amount.currency)} of event ${c.originalEventId}.`
        : `Rejected the correction of event ${c.originalEventId}.`,
    );

  return (
    <>
      <h1>Corrections</h1>
      <p className="muted">
        Reversing (part of) a booked payment or debit takes two people: a maker proposes it with a reason, another operator with the checker
        role approves it (the ledger then books the reverse postings) or rejects it.
      </p>
      <Problem error={error} />
      <Problem error={problem} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}

      {maker && (
        <form className="card propose" onSubmit={(e) => void propose(e)} aria-labelledby="correction-title">
          <h2 id="correction-title">Propose a correction</h2>
          <div className="fields">
            <div className="field">
              <label htmlFor="eventId">Event id of the booked payment or debit</label>
              <input id="eventId" name="eventId" required maxLength={128} autoComplete="off" defaultValue={query.get('eventId') ?? ''} />
            </div>
            <div className="field">
              <label htmlFor="amount">Amount to reverse</label>
              <input id="amount" name="amount" required inputMode="decimal" autoComplete="off" maxLength={32} />
            </div>
            <div className="field">
              <label htmlFor="currency">Currency</label>
              <input id="currency" name="currency" required autoComplete="off" maxLength={3} defaultValue={query.get('currency') ?? ''} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="reason">Reason</label>
            <textarea id="reason" name="reason" required minLength={3} maxLength={1024} rows={2} />
          </div>
          <p className="actions">
            <button type="submit" disabled={busy}>
              Submit correction
            </button>
          </p>
        </form>
      )}

      <section className="card proposals" aria-labelledby="corrections-title">
        <h2 id="corrections-title">Proposals</h2>
        <div className="field">
          <label htmlFor="state-filter">State</label>
          <select id="state-filter" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {data && data.items.length === 0 ? (
          <p>No correction{state ? ` is ${state}` : ' yet'}.</p>
        ) : (
          data && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Reason</th>
                  <th scope="col" className="nowrap">
                    Maker
                  </th>
                  <th scope="col">Proposed</th>
                  <th scope="col">State</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td className="wide">
                      {c.originalEventId}
                      <span className="muted small"> {c.originalEventType}</span>
                    </td>
                    <td className="num">{formatMoney(c.amount.amountMinor, c.amount.currency)}</td>
                    <td className="wide">{c.reason}</td>
                    <td className="nowrap">{c.makerId}</td>
                    <td className="when">{formatTime(c.proposedAt)}</td>
                    <td className="nowrap">
                      <StateBadge state={c.state} />
                    </td>
                    <td className="decision">
                      {c.state !== 'PROPOSED' ? (
                        <span className="small">
                          {c.checkerId} {formatTime(c.decidedAt)}
                          {c.decidedReason ? `: ${c.decidedReason}` : ''}
                        </span>
                      ) : (
                        <CheckerDecision
                          id={c.id}
                          what={`the correction of ${c.originalEventId}`}
                          checker={checker}
                          own={c.makerId === session.username}
                          busy={busy}
                          rejecting={rejecting === c.id}
                          onApprove={() => decide(c, 'approve')}
                          onStartRejecting={() => setRejecting(c.id)}
                          onReject={(reason) => decide(c, 'reject', reason)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        )}
      </section>
    </>
  );
}
