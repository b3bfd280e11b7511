import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** observability/ at the repository's root: the Grafana dashboard and the Prometheus config and rules. */
export const OBSERVABILITY = join(__dirname, '..', '..', '..', 'observability');
export const RULES_FILE = join(OBSERVABILITY, 'prometheus', 'alerts.yml');
export const RULES_TEST_FILE = join(OBSERVABILITY, 'prometheus', 'alerts.test.yml');
export const SCRAPE_CONFIG_FILE = join(OBSERVABILITY, 'prometheus', 'prometheus.yml');
export const DASHBOARD_FILE = join(OBSERVABILITY, 'grafana', 'mm-services.json');

export interface DashboardPanel {
  type: string;
  title: string;
  targets?: { expr?: string }[];
}

export const dashboardPanels = (): DashboardPanel[] =>
  (JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: DashboardPanel[] }).panels;

/** The scrape jobs of prometheus.yml, one per service. */
export const scrapeJobs = (): string[] =>
  [...readFileSync(SCRAPE_CONFIG_FILE, 'utf8').matchAll(/^\s*- job_name: (\S+)$/gm)].map((m) => m[1]!);

/** Every `expr` of alerts.yml, one-line or a `|` block (its lines indented deeper than the key). */
export function ruleExpressions(): string[] {
  const lines = readFileSync(RULES_FILE, 'utf8').split('\n');
  const exprs: string[] = [];
  lines.forEach((line, i) => {
    const key = /^(\s*)expr: (.*)$/.exec(line);
    if (!key) return;
    if (key[2] !== '|') return void exprs.push(key[2]!);
    const block: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.search(/\S/) <= key[1]!.length) break;
      block.push(next.trim());
    }
    exprs.push(block.join(' '));
  });
  return exprs;
}

const NOT_METRICS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset']);

/**
 * The metric names a PromQL expression reads: identifiers left once strings, label matchers, ranges and grouping
 * clauses are removed, other than functions (followed by `(`) and operators.
 */
export function promqlMetricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter((m) => m[2] === undefined && !NOT_METRICS.has(m[1]!))
    .map((m) => m[1]!);
  return [...new Set(names)];
}
