import { formatMoney } from '../api';

export interface AgeBucket {
  age: string;
  count: number;
  amounts: { currency: string; amountMinor: string }[];
}

const LABELS: Record<string, string> = { '<1h': 'Under 1 hour', '1-24h': '1 to 24 hours', '1-7d': '1 to 7 days', '>7d': 'Over 7 days' };
const BAR = 160;

/**
 * Open suspense by age: how many UNKNOWN debits wait in each age bucket, with their amounts per currency. The bars are
 * SVG attributes (no inline styles, which the CSP forbids); the table carries the numbers for screen readers.
 */
export function SuspenseByAge({ buckets }: { buckets: AgeBucket[] | null }) {
  const most = Math.max(1, ...(buckets ?? []).map((b) => b.count));
  return (
    <section className="card" aria-labelledby="suspense-by-age">
      <h2 id="suspense-by-age">Open suspense by age</h2>
      {buckets === null ? (
        <p className="muted">The ledger could not say.</p>
      ) : (
        <table className="age-table">
          <thead>
            <tr>
              <th scope="col">Waiting</th>
              <th scope="col" className="num">
                Debits
              </th>
              <th scope="col">
                <span className="visually-hidden">Share</span>
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.age} data-age={b.age}>
                <th scope="row">{LABELS[b.age] ?? b.age}</th>
                <td className="num">{b.count}</td>
                <td>
                  <svg
                    className={`age-bar age-bar-${b.count > 0 && b.age !== '<1h' ? 'warn' : 'calm'}`}
                    width={BAR}
                    height="12"
                    aria-hidden="true"
                  >
                    <rect width={Math.round((b.count / most) * BAR)} height="12" rx="2" />
                  </svg>
                </td>
                <td className="num">
                  {b.amounts.length === 0 ? '—' : b.amounts.map((a) => formatMoney(a.amountMinor, a.currency)).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
