import { useEffect, useState, type FormEvent } from 'react';
import { api, formatMoney, formatTime } from '../api';
import { Problem } from '../components';
import { uploadFile, type UploadAnswer } from '../upload';

type Source = 'bixi' | 'provider';
interface BreakView {
  breakId: string;
  type: string;
  status: 'OPEN' | 'CLOSED';
  statementId: string | null;
  statementRows: Record<string, string>[];
  bookRows: Record<string, string>[];
  detail: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
}
interface Counts {
  open: { type: string; count: number }[];
}
interface Report {
  date: string;
  generatedAt: string;
  openSuspense: { currency: string; age: string; count: number; amountMinor: string }[];
  breaks: { provider: Counts; bixi: string };
  ledger: { currency: string; balanced: boolean }[];
}

const SOURCES: { value: Source; label: string }[] = [
  { value: 'bixi', label: 'Bixi statements (payment-debit)' },
  { value: 'provider', label: 'Provider statements (ledger)' },
];
const TYPES = ['MISSING_IN_BOOKS', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'DUPLICATE', 'AMBIGUOUS'];
const today = () => new Date().toISOString().slice(0, 10);

/** Loads `path` again whenever it or `version` changes; errors are shown and passed on (a 401 signs out). */
function useFetched<T>(path: string | null, version: number | string, onError: (e: unknown) => void) {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>(path).then(
      (data) => live && setState({ data }),
      (e: unknown) => {
        if (!live) return;
        setState({ error: (e as Error).message });
        onError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [path, version, onError]);
  return [state, setState] as const;
}

/** Statements in, breaks listed, opened, closed and exported, and the ledger's daily report. */
export function ReconcilePage({ roles, onError }: { roles: string[]; onError: (e: unknown) => void }) {
  // An import reloads everything; a close changes its break in place (it stays in view) and reloads the counts.
  const [imports, setImports] = useState(0);
  const [closes, setCloses] = useState(0);
  const version = `${imports}.${closes}`;
  return (
    <>
      <h1>Reconcile</h1>
      {roles.includes('maker') && <UploadCard onImported={() => setImports((n) => n + 1)} />}
      <BreaksCard
        canClose={roles.includes('maker') || roles.includes('checker')}
        listVersion={imports}
        version={version}
        onChanged={() => setCloses((n) => n + 1)}
        onError={onError}
      />
      <ReportCard version={version} onError={onError} />
    </>
  );
}

function UploadCard({ onImported }: { onImported: () => void }) {
  const [source, setSource] = useState<Source>('bixi');
  const [progress, setProgress] = useState<{ sent: number; total: number } | undefined>();
  const [answer, setAnswer] = useState<UploadAnswer | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const busy = progress !== undefined && answer === undefined && failure === undefined;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    const period = String(form.get('period') ?? '').trim();
    setAnswer(undefined);
    setFailure(undefined);
    if (!(file instanceof File) || file.size === 0) return setFailure('Choose a statement file first.');
    const type = /\.csv$/i.test(file.name) ? 'text/csv' : /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : undefined;
    if (!type) return setFailure('A statement is a .csv file or JSON lines (.jsonl or .ndjson).');
    const query = source === 'bixi' && period ? `?${new URLSearchParams({ period })}` : '';
    setProgress({ sent: 0, total: file.size });
    try {
      const res = await uploadFile(`/api/statements/${source}${query}`, file, type, (sent, total) => setProgress({ sent, total }));
      setAnswer(res);
      if (res.status === 200) onImported();
    } catch (e) {
      setFailure((e as Error).message);
    }
  };

  const ok = answer?.status === 200 ? answer.body : undefined;
  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Import a statement</h2>
      <form className="fields upload" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="statement-source">Statement</label>
          <select id="statement-source" value={source} onChange={(e) => setSource(e.target.value as Source)}>
            <option value="bixi">Bixi statement (to payment-debit)</option>
            <option value="provider">Provider statement (to the ledger)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="statement-file">Statement file (CSV or JSON lines)</label>
          <input id="statement-file" name="file" type="file" accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson" />
        </div>
        {source === 'bixi' && (
          <div className="field">
            <label htmlFor="statement-period">Complete for period (optional)</label>
            <input
              id="statement-period"
              name="period"
              placeholder="YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD"
              maxLength={32}
              aria-describedby="period-hint"
            />
            <span id="period-hint" className="muted small">
              Our debits of these days missing from the statement become breaks.
            </span>
          </div>
        )}
        <button type="submit" disabled={busy}>
          Upload
        </button>
      </form>
      {progress && (
        <p className="progress">
          <label htmlFor="upload-progress">Upload progress</label>{' '}
          <progress id="upload-progress" max={progress.total || 1} value={progress.sent} />{' '}
          <span className="muted small">
            {progress.sent} of {progress.total} bytes{busy && progress.sent >= progress.total ? ' — importing…' : ''}
          </span>
        </p>
      )}
      <Problem error={failure ?? (answer && answer.status !== 200 ? (answer.body.message ?? `refused (${answer.status})`) : undefined)} />
      {answer?.body.details && answer.status !== 200 && (
        <ul className="error-details">
          {answer.body.details.map((d, i) => (
            <li key={i}>
              <strong>{d.field}</strong>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {ok && <ImportResult result={ok} />}
    </section>
  );
}

function ImportResult({ result }: { result: Record<string, unknown> }) {
  const breaks = (result.breaks as { type: string; count: number }[] | undefined) ?? [];
  const facts = Object.entries(result).filter(([k, v]) => k !== 'breaks' && (typeof v !== 'object' || Array.isArray(v)));
  return (
    <section aria-label="Import result" className="import-result">
      <h3>Imported</h3>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div className="fact" key={k}>
            <dt>{k}</dt>
            <dd>{Array.isArray(v) ? v.join(', ') || '—' : String(v)}</dd>
          </div>
        ))}
      </dl>
      <p>
        Breaks:{' '}
        {breaks.length === 0
          ? 'none'
          : breaks.map((b) => (
              <span key={b.type} className="badge badge-warn">
                {b.type} {b.count}
              </span>
            ))}
      </p>
    </section>
  );
}

function BreaksCard({
  canClose,
  listVersion,
  version,
  onChanged,
  onError,
}: {
  canClose: boolean;
  listVersion: number;
  version: string;
  onChanged: () => void;
  onError: (e: unknown) => void;
}) {
  const [filter, setFilter] = useState<{ source: Source; type: string; status: string }>({ source: 'bixi', type: '', status: 'OPEN' });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string | undefined>();
  const filterParams = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
  const pageParams = new URLSearchParams(filterParams);
  const cursor = cursors[cursors.length - 1];
  if (cursor) pageParams.set('cursor', cursor);
  const [{ data, error }, setPage] = useFetched<{ items: BreakView[]; nextCursor: string | null }>(
    `/api/breaks?${pageParams}`,
    listVersion,
    onError,
  );
  const [{ data: summary }] = useFetched<Record<Source, Counts | null>>('/api/breaks/summary', version, onError);
  const open = data?.items.find((b) => b.breakId === selected);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilter({ source: form.get('source') as Source, type: String(form.get('type')), status: String(form.get('status')) });
    setCursors([undefined]);
    setSelected(undefined);
  };
  const closed = (view: BreakView) => {
    setPage((s) => (s.data ? { data: { ...s.data, items: s.data.items.map((b) => (b.breakId === view.breakId ? view : b)) } } : s));
    onChanged();
  };

  return (
    <section className="card" aria-labelledby="breaks-title">
      <h2 id="breaks-title">Breaks</h2>
      {summary && (
        <p className="muted">
          Open:{' '}
          {SOURCES.map((s) => (
            <span key={s.value} className="summary">
              {s.label}: {summary[s.value] ? summary[s.value]!.open.reduce((n, c) => n + c.count, 0) : 'not available'}{' '}
            </span>
          ))}
        </p>
      )}
      <form className="fields" onSubmit={apply} aria-label="Filter breaks">
        <Select name="source" label="Source" value={filter.source} options={SOURCES} />
        <Select
          name="type"
          label="Type"
          value={filter.type}
          options={[{ value: '', label: 'any' }, ...TYPES.map((t) => ({ value: t, label: t }))]}
        />
        <Select
          name="status"
          label="Status"
          value={filter.status}
          options={[
            { value: '', label: 'any' },
            { value: 'OPEN', label: 'OPEN' },
            { value: 'CLOSED', label: 'CLOSED' },
          ]}
        />
        <button type="submit">Apply</button>
        <a className="button-link" href={`/api/breaks.csv?${filterParams}`} download>
          Export CSV
        </a>
      </form>
      <Problem error={error} />
      {data &&
        (data.items.length === 0 ? (
          <p className="muted">No breaks.</p>
        ) : (
          <table aria-label="Breaks" className="breaks">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">What differs</th>
                <th scope="col">Found</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((b) => (
                <tr key={b.breakId} className={b.breakId === selected ? 'selected' : undefined}>
                  <td>
                    <span className="badge badge-warn">{b.type}</span>
                  </td>
                  <td>
                    <span className={`badge badge-${b.status === 'OPEN' ? 'bad' : 'good'}`}>{b.status}</span>
                  </td>
                  <td>{b.detail}</td>
                  <td className="small">{formatTime(b.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => setSelected(b.breakId)}
                      aria-label={`Open break ${b.breakId}`}
                    >
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <p className="pager">
        {cursors.length > 1 && (
          <button type="button" className="button-secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous page
          </button>
        )}
        {data?.nextCursor && (
          <button type="button" className="button-secondary" onClick={() => setCursors((c) => [...c, data.nextCursor!])}>
            Next page
          </button>
        )}
      </p>
      {open && <BreakDetail view={open} source={filter.source} canClose={canClose} onClosed={closed} onError={onError} />}
    </section>
  );
}

const Select = ({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
}) => (
  <div className="field">
    <label htmlFor={`breaks-${name}`}>{label}</label>
    <select id={`breaks-${name}`} name={name} defaultValue={value}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  </div>
);

function BreakDetail({
  view,
  source,
  canClose,
  onClosed,
  onError,
}: {
  view: BreakView;
  source: Source;
  canClose: boolean;
  onClosed: (v: BreakView) => void;
  onError: (e: unknown) => void;
}) {
  const [failure, setFailure] = useState<string | undefined>();
  const close = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    setFailure(undefined);
    try {
      onClosed(
        await api<BreakView>(`/api/breaks/${source}/${encodeURIComponent(view.breakId)}/close`, { method: 'POST', body: { reason } }),
      );
    } catch (e) {
      setFailure((e as Error).message);
      onError(e);
    }
  };
  return (
    <section className="break-detail" aria-labelledby="break-title">
      <h3 id="break-title">Break {view.breakId}</h3>
      <dl className="facts">
        <Fact label="Type" value={view.type} />
        <Fact label="Status" value={view.status} />
        <Fact label="Statement" value={view.statementId ?? '—'} />
        <Fact label="Found" value={formatTime(view.createdAt)} />
        {view.closedAt && (
          <Fact label="Closed" value={`${formatTime(view.closedAt)} by ${view.closedBy ?? '—'}: ${view.closeReason ?? ''}`} />
        )}
      </dl>
      <p>{view.detail}</p>
      <Rows title="Statement side" rows={view.statementRows} />
      <Rows title="Our side" rows={view.bookRows} />
      {canClose && view.status === 'OPEN' && (
        <form className="close-break" onSubmit={(e) => void close(e)}>
          <label htmlFor="close-reason">Reason for closing</label>
          <textarea id="close-reason" name="reason" required minLength={3} maxLength={1024} rows={2} />
          <button type="submit">Close break</button>
        </form>
      )}
      <Problem error={failure} />
    </section>
  );
}

const Fact = ({ label, value }: { label: string; value: string }) => (
  <div className="fact">
    <dt>{label}</dt>
    <dd>{value}</dd>
  </div>
);

function Rows({ title, rows }: { title: string; rows: Record<string, string>[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <section aria-label={title} className="rows">
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <p className="muted">Nothing on this side.</p>
      ) : (
        <div className="scroll">
          <table className="compact">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>{r[c] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ReportCard({ version, onError }: { version: string; onError: (e: unknown) => void }) {
  const [date, setDate] = useState(today);
  const [{ data, error }] = useFetched<Report>(`/api/reports/reconciliation?date=${date}`, version, onError);
  const [{ data: summary }] = useFetched<Record<Source, Counts | null>>('/api/breaks/summary', version, onError);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('date'));
    if (value) setDate(value);
  };
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">Daily report</h2>
      <form className="fields" onSubmit={submit}>
        <div className="field">
          <label htmlFor="report-date">Date (UTC)</label>
          <input id="report-date" name="date" type="date" defaultValue={date} required />
        </div>
        <button type="submit">Show</button>
      </form>
      <Problem error={error} />
      {data && (
        <div className="report">
          <section aria-label="Open suspense by age">
            <h3>Open suspense by age</h3>
            {data.openSuspense.length === 0 ? (
              <p className="muted">No open suspense.</p>
            ) : (
              <table className="compact">
                <thead>
                  <tr>
                    <th scope="col">Age</th>
                    <th scope="col">Debits</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.openSuspense.map((b) => (
                    <tr key={`${b.currency}-${b.age}`}>
                      <td>{b.age}</td>
                      <td>{b.count}</td>
                      <td className="num">{formatMoney(b.amountMinor, b.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-label="Open breaks by type">
            <h3>Open breaks by type</h3>
            <table className="compact">
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Provider statements</th>
                  <th scope="col">Bixi statements</th>
                </tr>
              </thead>
              <tbody>
                {TYPES.map((t) => (
                  <tr key={t}>
                    <td>{t}</td>
                    <td>{data.breaks.provider.open.find((c) => c.type === t)?.count ?? 0}</td>
                    <td>{summary?.bixi ? (summary.bixi.open.find((c) => c.type === t)?.count ?? 0) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <p className="muted small">
            Generated {formatTime(data.generatedAt)}; books{' '}
            {data.ledger.length === 0
              ? 'empty'
              : data.ledger.map((l) => `${l.currency} ${l.balanced ? 'balanced' : 'NOT balanced'}`).join(', ')}
            .
          </p>
        </div>
      )}
    </section>
  );
}
