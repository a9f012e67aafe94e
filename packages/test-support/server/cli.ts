import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision } from '@consentkit/core';
import { runCli } from '../../server/src/cli/consentkit.js';
import { loadConfig } from '../../server/src/runtime/config.js';
import { type OpenedServer, openServer } from '../../server/src/runtime/server.js';
import { createTestSigner, TEST_MASTER_KEY_B64 } from '../keys.js';
import { issueApiKey, POLICY_FILE, postRecords, signedRecord } from './ledger.js';
import { createTestDatabase } from './stores.js';

// Scaffolding the `consentkit` suites share: the tool run in-process with its output captured,
// a ledger on each store named by flags (a PGlite data folder, a fresh database in the throwaway
// PostgreSQL), and records posted through the app as a device's chain.

export type CliRun = { code: number; out: string; err: string };

/** Runs `consentkit ...argv` in-process; the exit code and what it printed, lines joined. */
export async function cli(argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What a command did at a (simulated) terminal: its output, what it drew on stderr, what it asked. */
export type TerminalRun = CliRun & { drawn: string; questions: string[] };

/** Runs `consentkit ...argv` in-process as if a person sat at a terminal answering `answer`. */
export async function cliOnTerminal(argv: string[], answer = false): Promise<TerminalRun> {
  const out: string[] = [];
  const err: string[] = [];
  const drawn: string[] = [];
  const questions: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    terminal: {
      write: (text) => drawn.push(text),
      confirm: async (question) => {
        questions.push(question);
        return answer;
      },
    },
  });
  return { code, out: out.join('\n'), err: err.join('\n'), drawn: drawn.join(''), questions };
}

/** A ledger's flags (store, then master key and policy, then any extra) and how to remove it. */
export type CliLedger = { flags: string[]; drop(): Promise<void> };
export type CliTarget = { readonly name: 'pglite' | 'postgres'; create(extraFlags?: string[]): Promise<CliLedger> };

/** Both stores; a PGlite data folder is made under the temp dir with `tmpPrefix`. */
export function cliTargets(tmpPrefix: string): CliTarget[] {
  const ledgerFlags = ['--master-key', TEST_MASTER_KEY_B64, '--policy', POLICY_FILE];
  return [
    {
      name: 'pglite',
      async create(extraFlags = []) {
        const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
        return {
          flags: ['--data-dir', dir, ...ledgerFlags, ...extraFlags],
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
    {
      name: 'postgres',
      async create(extraFlags = []) {
        const db = await createTestDatabase();
        return { flags: ['--database-url', db.url, ...ledgerFlags, ...extraFlags], drop: () => db.drop() };
      },
    },
  ];
}

/** One record to sign: for `email`, with the fixture's default decisions unless given. */
export type SeedRecord = string | { email: string; decisions?: Decision[]; now?: Date };

/**
 * Signs and posts the records, chained, from one new device; each response's status. `site`: the
 * site's backend posts them with an ingest key (site assurance, so express grants count at once).
 */
export async function postChain(
  opened: OpenedServer,
  records: readonly SeedRecord[],
  options: { readonly site?: boolean } = {},
): Promise<number[]> {
  const signer = await createTestSigner();
  const headers: Record<string, string> = options.site
    ? { authorization: `Bearer ${await issueApiKey(opened.context.store, 'ingest', 'seed')}` }
    : {};
  const statuses: number[] = [];
  let prev: string | null = null;
  for (const entry of records) {
    const { email, decisions, now } = typeof entry === 'string' ? { email: entry } : entry;
    const signed = await signedRecord({
      signer,
      policy: opened.context.policies.current,
      prev,
      email,
      ...(decisions ? { decisions } : {}),
      ...(now ? { override: { now } } : {}),
    });
    statuses.push((await postRecords(opened.app, [{ jws: signed.jws, opening: signed.opening }], headers)).status);
    prev = signed.digest;
  }
  return statuses;
}

/** Opens the ledger `flags` name, posts the records (postChain, with its `site` option), and closes it. */
export async function seedLedger(
  flags: string[],
  records: readonly SeedRecord[],
  options: { readonly site?: boolean } = {},
): Promise<number[]> {
  const opened = await openServer(loadConfig({ argv: flags, env: {} }));
  try {
    return await postChain(opened, records, options);
  } finally {
    await opened.close();
  }
}
