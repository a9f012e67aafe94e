import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { entry, runOutboxStoreConformance } from '../../test/support/store-conformance.js';
import { createFileOutboxStore } from './file-store.js';

const dir = mkdtempSync(join(tmpdir(), 'consentkit-outbox-'));
let n = 0;
const nextPath = () => join(dir, `nested/outbox-${++n}.json`);

describe('file outbox store (Node)', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  runOutboxStoreConformance(() => createFileOutboxStore({ path: nextPath() }));

  it('survives a restart: a new store on the same file sees what was left', async () => {
    const path = nextPath();
    const first = createFileOutboxStore({ path });
    await first.put({ entries: [entry('a', 1), entry('b', 2)] });
    await first.delete({ ids: ['a'] });
    await first.close?.();
    const second = createFileOutboxStore({ path });
    expect((await second.list()).map((e) => e.id)).to.deep.equal(['b']);
    expect(JSON.parse(readFileSync(path, 'utf8')).entries).to.have.keys(['b']);
  });
});
