// CPU profiles of the services at saturation: Node's own `--cpu-prof` (a .cpuprofile that speedscope and Chrome's
// DevTools open), started only for a service's saturation phase, and read back here for the functions that spent the
// most self time.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Node's options that write `<name>.cpuprofile` into `dir` when the process exits. */
export const cpuProfArgs = (dir, name) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`];

/** Now on the clock of a .cpuprofile's timestamps (the monotonic clock, in µs), to mark a phase's window. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * The `limit` functions with the most self time in a .cpuprofile, as shares of the sampled time, and the share the
 * process spent idle. Only samples inside `window` ({ fromUs, toUs } of `monotonicUs`, from any process on the
 * machine) count, so start-up and the phases around saturation stay out. Functions are grouped by name and place.
 */
export function topSelfTime(file, root, window = undefined, limit = 10) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    total += dt;
    const { functionName, url, lineNumber } = byNode.get(id).callFrame;
    const place = url ? `${shortUrl(url, root)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}\t${place}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
  });
  const share = (us) => +((100 * us) / total).toFixed(1);
  const idle = selfUs.get('(idle)\t') ?? 0;
  const top = [...selfUs]
    .filter(([key]) => !key.startsWith('(idle)\t'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([key, us]) => {
      const [fn, place] = key.split('\t');
      return { function: fn, place, selfMs: Math.round(us / 1000), percent: share(us) };
    });
  return { file: relative(root, file), sampledSeconds: +(total / 1e6).toFixed(1), idlePercent: share(idle), top };
}

function shortUrl(url, root) {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules !== -1) return path.slice(inModules + '/node_modules/'.length);
  return path.startsWith('/') ? relative(root, path) : path;
}

/** latest.md's section for one service's profile. */
export function profileMarkdown(service, summary) {
  return [
    `### ${service} (${summary.sampledSeconds} s sampled, ${summary.idlePercent}% idle; ${summary.file})`,
    '',
    '| self time | function | where |',
    '| --- | --- | --- |',
    ...summary.top.map((t) => `| ${t.percent}% (${t.selfMs} ms) | \`${t.function}\` | ${t.place ? `\`${t.place}\`` : ''} |`),
    '',
  ];
}

export const profilePath = (dir, service) => join(dir, `${service}.cpuprofile`);
