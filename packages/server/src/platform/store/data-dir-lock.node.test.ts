import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DataDirLockedError, LOCK_FILE, lockDataDir, readLockHolder } from './data-dir-lock.js';
import { createPgliteStore } from './pglite-store.js';

// PGlite allows one process per data folder: the lock that makes a second opener refuse.

const fresh = () => mkdtempSync(join(tmpdir(), 'ck-lock-'));
const lockOf = (pid: number) => JSON.stringify({ pid, role: 'process', since: '2026-01-01T00:00:00.000Z' });

describe('data folder lock', () => {
  it('one holder at a time, also within a process; the file is 0600 and goes on release', () => {
    const dir = fresh();
    try {
      const lock = lockDataDir(dir);
      expect(statSync(join(dir, LOCK_FILE)).mode & 0o777).to.equal(0o600);
      expect(() => lockDataDir(dir)).to.throw(DataDirLockedError, /in use: this process already has it open/);
      lock.release();
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false);
      lockDataDir(dir).release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a live process holding the folder is named; a dead one’s lock is taken over', async () => {
    const dir = fresh();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, LOCK_FILE), lockOf(sleeper.pid ?? 0), { mode: 0o600 });
      expect(() => lockDataDir(dir)).to.throw(DataDirLockedError, new RegExp(`process ${sleeper.pid} has it open`));
      expect(readLockHolder(dir)?.pid).to.equal(sleeper.pid);
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      writeFileSync(join(dir, LOCK_FILE), lockOf(dead), { mode: 0o600 });
      expect(readLockHolder(dir)).to.equal(undefined);
      const lock = lockDataDir(dir);
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).to.equal(process.pid);
      lock.release();
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second PGlite store on the same folder refuses before opening it', async () => {
    const dir = fresh();
    try {
      const first = await createPgliteStore({ dataDir: dir });
      let error: unknown;
      try {
        await createPgliteStore({ dataDir: dir });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(DataDirLockedError);
      expect((error as DataDirLockedError).message).to.match(/^\[consentkit\] the embedded ledger in .* is in use/);
      await first.close();
      const again = await createPgliteStore({ dataDir: dir });
      expect(await again.query<{ n: number }>('SELECT 1 AS n')).to.deep.equal([{ n: 1 }]);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
