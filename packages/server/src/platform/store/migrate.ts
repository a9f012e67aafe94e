import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from './store.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

// Any constant; shared by every instance so two servers starting at once migrate one at a time.
const MIGRATION_LOCK = 4_711_2026;

// Beside this module, in the sources and in dist alike (the build copies the .sql files).
const DEFAULT_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** The versioned `NNN-name.sql` files, in order. */
export function loadMigrations(dir = DEFAULT_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}-[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(`${dir}/${file}`, 'utf8'),
    }));
}

/** Applies the migrations not yet recorded, each once, under a transaction-scoped advisory lock. */
export async function migrate(store: Store, migrations: readonly Migration[] = loadMigrations()): Promise<number[]> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)',
    );
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
