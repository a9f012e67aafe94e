// kill -9 during ingest on PostgreSQL: a fresh database in the throwaway cluster `pnpm test`
// starts (CONSENTKIT_TEST_PG_URL); without it createTestDatabase fails loudly, never skips.

import { createTestDatabase } from '@consentkit/test-support/server';
import { crashSuite } from './crash-suite.js';

crashSuite({
  name: 'postgres',
  async create() {
    const db = await createTestDatabase();
    return { flags: ['--database-url', db.url], drop: () => db.drop() };
  },
});
