import { readFileSync } from 'node:fs';
import { sampleProcessCpu } from './process-cpu';

const spin = (ms: number) => {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < ms * 1000); // this process's own CPU, however loaded the machine is
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('sampleProcessCpu', () => {
  it("counts a busy process's CPU under its pid's name, inside the machine's total, and nothing for a name no process has", () => {
    const sampler = sampleProcessCpu({ self: process.pid, nobody: /^no process is called this$/ });
    spin(300);
    const shares = sampler.stop();
    expect(shares.self).toBeGreaterThan(0);
    expect(shares.machine).toBeGreaterThanOrEqual(shares.self!);
    expect(shares.nobody).toBe(0);
  });

  it('finds a process by a pattern over its command line', () => {
    const cmdline = readFileSync('/proc/self/cmdline', 'utf8').replaceAll('\0', ' ');
    const sampler = sampleProcessCpu({ me: new RegExp(`^${escape(cmdline)}$`) });
    spin(300);
    expect(sampler.stop().me).toBeGreaterThan(0);
  });
});
