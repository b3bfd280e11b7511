import { useRef, useState, type FormEvent } from 'react';
import { api, formatTime, type Session } from '../api';
import { Problem, useLoad } from '../components';

interface Letter {
  id: string;
  service: string;
  state: 'open' | 'replayed';
  originalTopic: string | null;
  key: string | null;
  reason: string;
  receivedAt: string;
  replayedBy: string | null;
  replayedAt: string | null;
}
interface LetterInFull extends Letter {
  headers: Record<string, string>;
  value: string | null;
  valueBytes: number | null;
}

/**
 * Every consuming service's dead letters, one opened in full (its value shown as text, never as markup), and a
 * checker's replay to the topic it came from, confirmed in a dialog with a reason.
 */
export function DeadLettersPage({ session, onError }: { session: Session; onError: (e: unknown) => void }) {
  const [state, setState] = useState<'open' | 'replayed' | ''>('open');
  const [version, setVersion] = useState(0);
  const [opened, setOpened] = useState<{ service: string; id: string } | null>(null);
  const list = useLoad<{ items: Letter[]; unavailable: string[] }>(
    `/api/dead-letters${state ? `?state=${state}` : ''}#${version}`,
    onError,
  );
  const letter = useLoad<LetterInFull>(opened ? `/api/dead-letters/${opened.service}/${opened.id}#${version}` : null, onError);
  const [message, setMessage] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const dialog = useRef<HTMLDialogElement>(null);
  const checker = session.roles.includes('checker');
  // Until the opened letter has loaded, the previous one's data must not show (its Replay would post for another id).
  const shown = letter.data && opened && letter.data.service === opened.service && letter.data.id === opened.id ? letter.data : undefined;

  const replay = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!opened) return;
    const reason = String(new FormData(event.currentTarget).get('replayReason') ?? '').trim();
    dialog.current?.close();
    setFailure(undefined);
    try {
      await api(`/api/dead-letters/${opened.service}/${opened.id}/replay`, { method: 'POST', body: { reason } });
      setMessage(`Dead letter ${opened.service} #${opened.id} replayed to its topic.`);
      setVersion((v) => v + 1);
    } catch (e) {
      setFailure((e as Error).message);
      onError(e);
    }
  };

  return (
    <>
      <div className="page-head">
        <h1>Dead letters</h1>
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            <option value="open">open</option>
            <option value="replayed">replayed</option>
            <option value="">all</option>
          </select>
        </label>
      </div>
      <Problem error={list.error ?? failure} />
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {list.data && list.data.unavailable.length > 0 && (
        <p className="warning" role="status">
          Not available right now: {list.data.unavailable.join(', ')}.
        </p>
      )}
      {list.data && (
        <table>
          <caption className="visually-hidden">Dead letters</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Topic</th>
              <th scope="col">Why refused</th>
              <th scope="col">Received</th>
              <th scope="col">State</th>
              <th scope="col">Letter</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No dead letters.
                </td>
              </tr>
            )}
            {list.data.items.map((l) => (
              <tr key={`${l.service}:${l.id}`}>
                <td>{l.service}</td>
                <td className="mono">{l.originalTopic ?? '—'}</td>
                <td>{l.reason}</td>
                <td>{formatTime(l.receivedAt)}</td>
                <td>
                  <span className={`badge badge-${l.state === 'open' ? 'warn' : 'neutral'}`}>{l.state}</span>
                </td>
                <td>
                  <button type="button" className="button-secondary" onClick={() => setOpened({ service: l.service, id: l.id })}>
                    Open<span className="visually-hidden"> {`${l.service} letter ${l.id}`}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && (
        <section aria-labelledby="letter-head" className="card">
          <h2 id="letter-head">
            {shown.service} letter #{shown.id}
          </h2>
          <dl className="facts">
            <dt>Topic</dt>
            <dd className="mono">{shown.originalTopic ?? '—'}</dd>
            <dt>Key</dt>
            <dd className="mono">{shown.key ?? '—'}</dd>
            <dt>Why refused</dt>
            <dd>{shown.reason}</dd>
            <dt>State</dt>
            <dd>
              {shown.state}
              {shown.replayedBy && ` by ${shown.replayedBy} at ${formatTime(shown.replayedAt)}`}
            </dd>
          </dl>
          <h3>Value ({shown.valueBytes ?? 0} bytes)</h3>
          <pre className="payload">{shown.value ?? '(null)'}</pre>
          {checker && shown.state === 'open' && (
            <button type="button" onClick={() => dialog.current?.showModal()}>
              Replay…
            </button>
          )}
        </section>
      )}
      <dialog ref={dialog} aria-labelledby="replay-head">
        <form onSubmit={(e) => void replay(e)}>
          <h2 id="replay-head">Replay this letter to its topic?</h2>
          <p className="small">The consumer reads it again; an event already booked stays booked once.</p>
          <label htmlFor="replay-reason">Why replay it</label>
          <input id="replay-reason" name="replayReason" required minLength={3} maxLength={1024} />
          <div className="actions">
            <button type="submit">Confirm replay</button>{' '}
            <button type="button" className="button-secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
