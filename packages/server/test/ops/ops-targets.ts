// The two stores the operations suites run on, as the configuration a real server is started
// with: PGlite in a temporary data folder, and a fresh database in the throwaway PostgreSQL
// cluster `pnpm test` starts (createTestDatabase fails loudly without it, never skips).
// Not a test file itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_MASTER_KEY_B64 } from '@consentkit/test-support/keys';
import { createTestDatabase, POLICY_FILE } from '@consentkit/test-support/server';

export type OpsTarget = {
  readonly name: 'pglite' | 'postgres';
  /** Settings (environment variable → value) that point a server at a fresh store; drop() removes it. */
  create(): Promise<{ readonly env: Record<string, string>; readonly flags: string[]; drop(): Promise<void> }>;
};

export const API_KEY = 'ops-admin-key-0123456789abcdef';

const common = {
  CONSENTKIT_MASTER_KEY: TEST_MASTER_KEY_B64,
  CONSENTKIT_POLICY: POLICY_FILE,
  CONSENTKIT_API_KEY: API_KEY,
};
const flagsOf = (env: Record<string, string>, names: Record<string, string>) =>
  Object.entries(names).flatMap(([variable, flag]) => (env[variable] ? [flag, env[variable] ?? ''] : []));
const FLAGS = {
  CONSENTKIT_MASTER_KEY: '--master-key',
  CONSENTKIT_POLICY: '--policy',
  CONSENTKIT_API_KEY: '--api-key',
  CONSENTKIT_DATA_DIR: '--data-dir',
  DATABASE_URL: '--database-url',
};

export const opsTargets: readonly OpsTarget[] = [
  {
    name: 'pglite',
    async create() {
      const dataDir = mkdtempSync(join(tmpdir(), 'consentkit-ops-'));
      const env = { ...common, CONSENTKIT_DATA_DIR: dataDir };
      return { env, flags: flagsOf(env, FLAGS), drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async create() {
      const db = await createTestDatabase();
      const dataDir = mkdtempSync(join(tmpdir(), 'consentkit-ops-'));
      const env = { ...common, DATABASE_URL: db.url, CONSENTKIT_DATA_DIR: dataDir };
      return {
        env,
        flags: flagsOf(env, FLAGS),
        async drop() {
          await db.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];
