// The demo form's backend attests the records it receives, as a site's backend does
// (examples/application-form/handler.ts), so an express grant made on it counts as it would on a
// real site. `pnpm start` makes the API key (scope `attest`) once and keeps it in the data folder
// beside the development master key: 0600, as secret as the data, read only by this process and
// never sent to a browser. Embedded store only: `pnpm start` pointed at a PostgreSQL database
// makes no key there (its express grants then stay pending until confirmed).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, findApiKey } from '../../packages/server/src/access/api-keys.ts';

export const DEMO_KEY_FILE = 'demo-attest.key';
export const DEMO_KEY_NAME = 'pnpm start demo form';

/**
 * The demo's attest key for the ledger in `store`: the one kept in `dataDir` while the ledger
 * knows it, else a new one (a fresh database). A kept key that was revoked is respected: no key,
 * and `reason` says how to make a new one.
 * @param {{ store: import('../../packages/server/src/index.ts').Queryable, dataDir: string }} options
 * @returns {Promise<{ key: string, file: string, created: boolean } | { key?: undefined, file: string, reason: string }>}
 */
export async function demoAttestKey({ store, dataDir }) {
  const file = join(dataDir, DEMO_KEY_FILE);
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    const info = await findApiKey(store, kept);
    if (info?.revokedAt) {
      return { file, reason: `the demo form's attest key in ${file} was revoked; delete that file to make a new one` };
    }
    if (info?.scope === 'attest') return { key: kept, file, created: false };
  }
  const { key } = await createApiKey(store, { name: DEMO_KEY_NAME, scope: 'attest' });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync keeps an existing file's mode
  return { key, file, created: true };
}
