// kill -9 during ingest on the embedded store: PGlite in a folder, the `pnpm start` default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashSuite } from './crash-suite.js';

crashSuite({
  name: 'pglite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'ck-crash-'));
    return { flags: ['--data-dir', dir], drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});
