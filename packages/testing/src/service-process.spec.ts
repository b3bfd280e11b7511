import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_OPTIONS, SERVICE_RUNTIME, SERVICE_RUNTIME_FILE } from './service-process';

const ROOT = join(SERVICE_RUNTIME_FILE, '..', '..');
const heapOptionsIn = (file: string): string[] => readFileSync(join(ROOT, file), 'utf8').match(/--max-(old|semi)-space-size=\d+/g) ?? [];

/** The heap budget is written once (config/service-runtime.json); the files that cannot read it must repeat it exactly. */
describe('the services heap budget', () => {
  it('is the one in config/service-runtime.json', () => {
    const { maxOldSpaceSizeMb, maxSemiSpaceSizeMb } = JSON.parse(readFileSync(SERVICE_RUNTIME_FILE, 'utf8')) as {
      maxOldSpaceSizeMb: number;
      maxSemiSpaceSizeMb: number;
    };
    expect(SERVICE_NODE_OPTIONS).toBe(`--max-old-space-size=${maxOldSpaceSizeMb} --max-semi-space-size=${maxSemiSpaceSizeMb}`);
  });

  it('is what the Dockerfile runs every service with', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^ENV .*NODE_OPTIONS="${SERVICE_NODE_OPTIONS}"(\\s|$)`, 'm'));
    expect(heapOptionsIn('Dockerfile')).toEqual(SERVICE_NODE_OPTIONS.split(' '));
  });

  it("caps glibc's malloc arenas in the Dockerfile as config/service-runtime.json does", () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^ENV .*MALLOC_ARENA_MAX=${SERVICE_RUNTIME.mallocArenaMax}(\\s|$)`, 'm'));
  });

  it('is not overridden by docker-compose.yml', () => {
    if (!existsSync(join(ROOT, 'docker-compose.yml'))) return;
    for (const found of heapOptionsIn('docker-compose.yml')) expect(SERVICE_NODE_OPTIONS.split(' ')).toContain(found);
  });

  it('runs on the Node release the Dockerfile ships', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.split('\n')).toContain(`ARG NODE_IMAGE=node:${SERVICE_RUNTIME.node}-bookworm-slim`);
  });
});
