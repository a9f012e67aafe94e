import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../server/src/platform/store/store.js';

// Where a value is left in a store's raw contents: the suites that destroy data (erasure, purge)
// show it is nowhere, in the files and in every table.

/** Every file under `dir` that contains `needle` (as UTF-8 bytes, case-insensitively for ASCII). */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const variants = [needle, needle.toLowerCase(), needle.toUpperCase()].map((n) => Buffer.from(n, 'utf8'));
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = readFileSync(path);
    if (variants.some((v) => bytes.includes(v))) found.push(path);
  }
  return found;
}

/** Every row of every table as lower-case text (what a pg_dump of the data would show), in a stable order. */
export async function dumpAllTables(store: Store): Promise<string> {
  const tables = await store.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  const parts: string[] = [];
  for (const { table_name: name } of tables) {
    const rows = await store.query(`SELECT * FROM "${name.replaceAll('"', '""')}" ORDER BY 1`);
    parts.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n').toLowerCase();
}
