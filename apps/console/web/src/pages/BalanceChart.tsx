import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatMoney } from '../api';

export interface BalancePoint {
  bookedAt: string;
  /** The balance just after the posting, in integer minor units. */
  balanceMinor: bigint;
}

/**
 * The postings' running balance in minor units (from BigInt; the canvas needs numbers, its axis labels are formatted
 * back from integer minor units). uPlot on a canvas; the page's postings table carries the same numbers.
 */
export function BalanceChart({ points, currency }: { points: BalancePoint[]; currency: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.bookedAt) / 1000), points.map((p) => Number(p.balanceMinor))];
    plot.current?.destroy();
    plot.current = null;
    if (!box.current) return;
    plot.current = new uPlot(
      {
        width: Math.max(320, box.current.clientWidth),
        height: 240,
        series: [{}, { label: `Balance (${currency})`, stroke: '#2563eb', width: 2, points: { show: points.length < 50 } }],
        axes: [
          {},
          {
            size: 110,
            values: (_u, splits) => splits.map((v) => formatMoney(BigInt(Math.round(v)).toString(), currency)),
          },
        ],
      },
      data,
      box.current,
    );
    return undefined;
  }, [points, currency]);

  useEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
    },
    [],
  );

  return (
    <figure className="card chart" aria-labelledby="balance-chart-title">
      <figcaption id="balance-chart-title">Balance over time in {currency}, after each posting shown</figcaption>
      <div
        ref={box}
        className="chart-canvas"
        role="img"
        aria-label={`Line chart of the account's ${currency} balance after each posting`}
      />
    </figure>
  );
}
