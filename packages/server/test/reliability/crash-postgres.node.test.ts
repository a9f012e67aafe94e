// kill -9 during ingest on PostgreSQL: a fresh database in the throwaway cluster `pnpm test`
// starts (CONSENTKIT_TEST_PG_URL); without it createTestDatabase fails loudly, never skips.

import { crashSuite } from '../support/crash-suite.js';
import { createTestDatabase } from '../support/stores.js';

crashSuite({
  name: 'postgres',
  async create() {
    const db = await createTestDatabase();
    return { flags: ['--database-url', db.url], drop: () => db.drop() };
  },
});
