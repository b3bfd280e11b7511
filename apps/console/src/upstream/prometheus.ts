/**
 * Sums every sample of a metric in Prometheus text exposition (`name{labels} value` lines); undefined when absent.
 * Only the services' own `/metrics` text is read: the console never reaches their databases.
 */
export function sumMetric(text: string, name: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(
      rest
        .slice(rest.lastIndexOf('}') + 1)
        .trim()
        .split(' ')[0],
    );
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}
