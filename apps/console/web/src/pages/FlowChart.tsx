import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface FlowPoint {
  minute: string;
  payments: number;
  approved: number;
  declined: number;
  failed: number;
  unknown: number;
}

const SERIES = [
  { key: 'payments', label: 'Notifications accepted', stroke: '#2563eb' },
  { key: 'approved', label: 'Debits approved', stroke: '#15803d' },
  { key: 'declined', label: 'Debits declined', stroke: '#b45309' },
  { key: 'failed', label: 'Debits failed', stroke: '#b91c1c' },
  { key: 'unknown', label: 'Debits unknown', stroke: '#7c3aed' },
] as const;

/** Per-minute counts as lines (uPlot on a canvas; the table below it carries the same numbers for screen readers). */
export function FlowChart({ points }: { points: FlowPoint[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.minute) / 1000), ...SERIES.map((s) => points.map((p) => p[s.key]))];
    if (plot.current) {
      plot.current.setData(data);
      return;
    }
    if (!box.current) return;
    plot.current = new uPlot(
      {
        width: Math.max(320, box.current.clientWidth),
        height: 260,
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: false } }))],
        axes: [{}, { label: 'per minute' }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(5, max)] } },
      },
      data,
      box.current,
    );
    return undefined;
  }, [points]);

  useEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
    },
    [],
  );

  const totals = SERIES.map((s) => ({ ...s, total: points.reduce((n, p) => n + p[s.key], 0) }));
  return (
    <figure className="card chart" aria-labelledby="flow-title">
      <figcaption id="flow-title">Flow over the last hour, per minute</figcaption>
      <div
        ref={box}
        className="chart-canvas"
        role="img"
        aria-label="Line chart of notifications accepted and debits by outcome per minute"
      />
      <table className="compact">
        <caption className="visually-hidden">Totals over the hour</caption>
        <thead>
          <tr>
            {totals.map((t) => (
              <th key={t.key} scope="col">
                {t.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {totals.map((t) => (
              <td key={t.key} data-series={t.key}>
                {t.total}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
