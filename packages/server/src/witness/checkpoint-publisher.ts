import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckpointNote } from '../ledger/checkpoint-note.js';
import { consistencyProof, signedHeadOf } from '../ledger/log-proofs.js';
import type { MerkleTree } from '../ledger/tree-builder.js';
import type { Queryable } from '../platform/store/store.js';
import { type CosignerKey, verifyCosignature } from './cosignature.js';

/**
 * Publishes the ledger's signed checkpoints where the database's holders cannot rewrite them (R72):
 * an append-only folder (one file per tree size, never overwritten: mount it from another machine
 * or sync it to an auditor) and witnesses over HTTP (C2SP tlog-witness `add-checkpoint`, with the
 * consistency proof from the size each witness last cosigned).
 *
 * It runs beside the listener and reads the signed head every `intervalMs`: ingest never waits on
 * it, and a witness that is down or slow delays nothing but its own copy. Each round publishes the
 * newest head (the heads signed between two rounds are each extended by it, so a witness loses
 * nothing by skipping them). A failure is reported through `onEvent` and retried the next round.
 *
 * A witness configured with its cosigner key has each cosignature it returns verified against that
 * key (C2SP tlog-cosignature) and kept (witness_cosignatures), so `GET /v1/log/checkpoint` can
 * carry it; one that does not verify is reported and not kept. A refusal (the witness found the
 * checkpoint inconsistent with one it cosigned) is kept too (witness_refusals): the admin ledger
 * status shows it; being evidence, nothing clears it but an operator deleting the row.
 */
export type PublisherEvent =
  | { readonly kind: 'published'; readonly target: string; readonly size: number; readonly cosignature?: string }
  | { readonly kind: 'failed'; readonly target: string; readonly size: number; readonly reason: string }
  | { readonly kind: 'conflict'; readonly target: string; readonly size: number; readonly reason: string };

export type CheckpointPublisherOptions = {
  readonly store: Queryable;
  readonly tree: MerkleTree;
  /** The append-only folder, if any. */
  readonly folder?: string | undefined;
  /** Witnesses: add-checkpoint URLs, each with the cosigner key its cosignatures must verify against. */
  readonly witnesses?: readonly (string | WitnessTarget)[];
  readonly intervalMs: number;
  readonly onEvent: (event: PublisherEvent) => void;
  readonly fetch?: typeof fetch;
};

export type WitnessTarget = { readonly url: string; readonly key?: CosignerKey | undefined };

/** A witness URL as stored and logged: no credentials, no query (where a token might sit). */
export function witnessTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'an unparseable witness URL';
  }
}

export type CheckpointPublisher = {
  /** One round now (the timer runs them too); resolves when it is done. */
  publishNow(): Promise<void>;
  stop(): Promise<void>;
};

const fileOf = (size: number) => `${String(size).padStart(16, '0')}.cp`;

export function startCheckpointPublisher(options: CheckpointPublisherOptions): CheckpointPublisher {
  const doFetch = options.fetch ?? fetch;
  const witnesses = (options.witnesses ?? []).map((w) => ({
    url: typeof w === 'string' ? w : w.url,
    target: witnessTarget(typeof w === 'string' ? w : w.url),
    key: typeof w === 'string' ? undefined : w.key,
    /** The size this witness last cosigned, as it told us (undefined: not asked yet). */
    known: undefined as number | undefined,
    /** The note it last cosigned (nothing to send until the head moves). */
    sentNote: undefined as string | undefined,
  }));
  let folderNote: string | undefined;
  /** What was last reported per target, so a failure that repeats every round is reported once. */
  const reported = new Map<string, string>();
  /** Refusals being stored; each round waits for them before it ends. */
  const writes: Promise<void>[] = [];
  const emit = (event: PublisherEvent) => {
    const key = `${event.target}|${event.kind}|${event.size}|${'reason' in event ? event.reason : ''}`;
    if (reported.get(event.target) === key) return;
    reported.set(event.target, key);
    if (event.kind === 'conflict' && witnesses.some((w) => w.target === event.target)) {
      writes.push(
        keepRefusal(event.target, event.size, event.reason).catch((error: unknown) =>
          options.onEvent({
            kind: 'failed',
            target: event.target,
            size: event.size,
            reason: `the refusal could not be stored: ${(error as Error).message}`,
          }),
        ),
      );
    }
    options.onEvent(event);
  };

  function toFolder(folder: string, note: string, size: number) {
    if (folderNote === note) return;
    mkdirSync(folder, { recursive: true });
    const path = join(folder, fileOf(size));
    try {
      writeFileSync(path, note, { flag: 'wx', mode: 0o644 });
      emit({ kind: 'published', target: folder, size });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Append-only: a file for this size exists. The same note is fine (a restart); another is a fork.
      if (readFileSync(path, 'utf8') !== note) {
        emit({
          kind: 'conflict',
          target: folder,
          size,
          reason: `${path} already holds a different checkpoint for ${size} entries: the ledger was rewritten or rolled back since it was published`,
        });
        return;
      }
    }
    folderNote = note;
  }

  async function post(w: (typeof witnesses)[number], old: number, proof: readonly Buffer[], note: string) {
    const body = `old ${old}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
    return doFetch(w.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  }

  /** Verifies a cosignature against the witness's key and keeps it; a bad one is reported, not kept. */
  async function keepCosignature(w: (typeof witnesses)[number], note: string, line: string) {
    const parsed = parseCheckpointNote(note);
    if ('reason' in parsed || !w.key) return;
    const checked = verifyCosignature(`${line}\n`, parsed.text, w.key);
    if ('reason' in checked) {
      emit({ kind: 'failed', target: w.target, size: parsed.size, reason: `cosignature not kept: ${checked.reason}` });
      return;
    }
    await options.store.query(
      `INSERT INTO witness_cosignatures (witness, size, root, line, cosigned_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (witness, size, root) DO NOTHING`,
      [w.key.name, parsed.size, parsed.root.toString('base64'), line, checked.time],
    );
  }

  /** A refusal is evidence that the ledger signed two incompatible histories: kept, not only logged. */
  async function keepRefusal(target: string, size: number, reason: string) {
    await options.store.query(
      `INSERT INTO witness_refusals (target, size, reason, refused_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (target) DO UPDATE SET size = excluded.size, reason = excluded.reason, refused_at = excluded.refused_at`,
      [target, size, reason, new Date().toISOString()],
    );
  }

  async function toWitness(w: (typeof witnesses)[number], note: string, size: number) {
    if (w.sentNote === note) return;
    // Two tries: the first may learn (409) what size the witness really last cosigned.
    for (let attempt = 0; attempt < 2; attempt++) {
      const old = Math.min(w.known ?? 0, size);
      const proof = await consistencyProof(options.store, options.tree, old, size);
      const response = await post(w, old, proof, note);
      const text = await response.text();
      if (response.ok) {
        w.known = size;
        w.sentNote = note;
        const cosignature = text.trim();
        if (w.key) await keepCosignature(w, note, cosignature);
        emit({ kind: 'published', target: w.target, size, cosignature });
        return;
      }
      const reason = response.headers.get('witness-refusal') ?? text.trim().slice(0, 300);
      if (response.status === 409 && response.headers.get('content-type')?.startsWith('text/x.tlog.size')) {
        const theirs = Number(text.trim());
        if (Number.isSafeInteger(theirs) && theirs > size) {
          emit({
            kind: 'conflict',
            target: w.target,
            size,
            reason: `the witness cosigned ${theirs} entries, the ledger's head has ${size}: the ledger was truncated or rolled back (${reason})`,
          });
          return;
        }
        if (Number.isSafeInteger(theirs) && theirs !== old) {
          w.known = theirs;
          continue;
        }
      }
      emit({
        kind: response.status === 409 || response.status === 422 ? 'conflict' : 'failed',
        target: w.target,
        size,
        reason: `HTTP ${response.status}: ${reason}`,
      });
      return;
    }
  }

  async function round() {
    const head = await signedHeadOf(options.store);
    const parsed = parseCheckpointNote(head.note);
    const size = 'reason' in parsed ? head.size : parsed.size;
    if (options.folder) {
      try {
        toFolder(options.folder, head.note, size);
      } catch (error) {
        emit({ kind: 'failed', target: options.folder, size, reason: (error as Error).message });
      }
    }
    await Promise.all(
      witnesses.map((w) =>
        toWitness(w, head.note, size).catch((error: unknown) => {
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          emit({
            kind: 'failed',
            target: w.target,
            size,
            reason: `${(error as Error).message}${cause ? ` (${cause})` : ''}; retried every round`,
          });
        }),
      ),
    );
    await Promise.all(writes.splice(0));
  }

  let running: Promise<void> = Promise.resolve();
  const publishNow = () => {
    running = running
      .then(round)
      .catch((error: unknown) => emit({ kind: 'failed', target: 'ledger', size: 0, reason: (error as Error).message }));
    return running;
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void publishNow().then(schedule);
    }, options.intervalMs);
    timer.unref?.();
  };
  void publishNow().then(schedule);
  return {
    publishNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
