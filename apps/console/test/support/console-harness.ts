import { createServiceApp } from '@mm/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConsoleConfig } from '../../src/config';
import { seedOperators } from '../../src/cli/seed-operators';
import { consoleService } from '../../src/service';

export const TEST_KEYS = {
  CONSOLE_LEDGER_API_KEY: 'console-test-ledger-key-0123456789',
  CONSOLE_DEBIT_API_KEY: 'console-test-debit-key-0123456789',
};

/** The console in process (as main.ts builds it) on its own database, with the development operators seeded. */
export async function startConsoleApp(
  env: Record<string, string>,
): Promise<{ app: NestFastifyApplication; url: string; passwords: Record<string, string>; close(): Promise<void> }> {
  // Operators are created by the owner (the migration role when there is one), as `npm start` does.
  const seeded = await seedOperators({ DATABASE_URL: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL! });
  const config = loadConsoleConfig({
    ...TEST_KEYS,
    LOG_LEVEL: 'error',
    HTTP_ACCESS_LOG: 'false',
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
  });
  const app = await createServiceApp(consoleService, config);
  await app.listen(0, '127.0.0.1');
  const passwords = Object.fromEntries(seeded.filter((s) => s.password).map((s) => [s.username, s.password!]));
  return { app, url: await app.getUrl(), passwords, close: () => app.close() };
}

/** The session cookie's `name=value` from a Set-Cookie header. */
export const cookieOf = (res: Response): string => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
