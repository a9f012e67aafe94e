import { ConsentError } from '@consentkit/core';
import { createPgliteStore } from './pglite-store.js';
import { createPostgresStore } from './postgres-store.js';
import type { Store } from './store.js';

/** PostgreSQL when DATABASE_URL is set (production, many instances), else embedded PGlite in a folder. */
export async function openStore(options: {
  readonly databaseUrl?: string | undefined;
  readonly dataDir: string;
}): Promise<Store> {
  if (options.databaseUrl) {
    const store = createPostgresStore({ connectionString: options.databaseUrl });
    try {
      await store.query('SELECT 1');
    } catch (cause) {
      await store.close().catch(() => {});
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new ConsentError('storage', `cannot connect to DATABASE_URL: ${reason}`, {
        cause,
        hint: 'Check the URL, the credentials and that PostgreSQL accepts connections from here.',
      });
    }
    return store;
  }
  return createPgliteStore({ dataDir: options.dataDir });
}
