/**
 * A Node outbox store in one JSON file, so a server process that restarts (or a CLI run that
 * ends before the ledger answered) delivers what is left next time. Node only: reached through
 * the `@consentkit/sdk/node` entry so browser bundles never see `node:` imports.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConsentError } from '@consentkit/core';
import { byOrder, type OutboxEntry, type OutboxStore } from './outbox-store.js';

export type FileOutboxStoreOptions = {
  /** The JSON file; its folder is created when missing. One file per process (no cross-process lock). */
  path: string;
};

type FileContents = { entries: Record<string, OutboxEntry>; meta: Record<string, unknown> };

export function createFileOutboxStore({ path }: FileOutboxStoreOptions): OutboxStore {
  let contents: Promise<FileContents> | undefined;
  // Writes are serialised: two overlapping renames could otherwise land an older snapshot last.
  let writing: Promise<void> = Promise.resolve();

  const load = () => {
    contents ??= readFile(path, 'utf8').then(
      (text) => JSON.parse(text) as FileContents,
      (error: unknown) => {
        if ((error as { code?: unknown }).code === 'ENOENT') return { entries: {}, meta: {} };
        throw new ConsentError('storage', `Could not read the outbox file ${path}`, { cause: error });
      },
    );
    return contents;
  };

  const save = (data: FileContents) => {
    const snapshot = JSON.stringify(data);
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(path), { recursive: true });
        // Write-then-rename: a crash mid-write leaves the previous file intact, never half a file.
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, snapshot, 'utf8');
        await rename(temporary, path);
      })
      .catch((error: unknown) => {
        throw new ConsentError('storage', `Could not write the outbox file ${path}`, { cause: error });
      });
    return writing;
  };

  return {
    name: 'file',
    async put({ entries, meta }) {
      const data = await load();
      for (const entry of entries) data.entries[entry.id] = structuredClone(entry);
      for (const [key, value] of Object.entries(meta ?? {})) data.meta[key] = structuredClone(value);
      await save(data);
    },
    async list() {
      const data = await load();
      return Object.values(data.entries)
        .map((e) => structuredClone(e))
        .sort(byOrder);
    },
    async delete({ ids }) {
      const data = await load();
      for (const id of ids) delete data.entries[id];
      await save(data);
    },
    async getMeta({ key }) {
      const value = (await load()).meta[key];
      return value === undefined ? undefined : structuredClone(value);
    },
    async close() {
      await writing.catch(() => undefined);
    },
  };
}
