// A witness's refusal reaches the operator as an alert line in the server's own log (R72): a
// running server, configured with a witness as an operator would, publishes its checkpoints; an
// insider forks the ledger and re-signs it; the witness refuses the fork and the server logs a
// JSON line at level error with `alert: "witness-refusal"`, the size and the witness's reason,
// and no personal data, for each refused checkpoint. The publisher's events and the ledger status have their own tests
// (witness/witness.node.test.ts); this one checks what an operator's log shipper sees.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, cliTargets, postChain } from '@consentkit/test-support/server';
import { expect } from 'chai';
import { loadConfig } from '../../src/runtime/config.js';
import { openServer } from '../../src/runtime/server.js';
import { startWitnessServer } from '../../src/witness/witness-command.js';

/** A port nothing listens on now, for a witness that starts after the server that sends to it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Polls `ready` every 50 ms; the deadline only bounds a broken run. */
async function until(what: string, ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

type LogLine = { level?: string | number; alert?: string; msg?: string; checkpoint?: Record<string, unknown> };

for (const target of cliTargets('ck-witness-alert-')) {
  describe(`a witness's refusal is an alert in the server's log — R72 (${target.name})`, () => {
    it("each refusal is a JSON line at level error with the alert, the size and the witness's reason, and no person", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ck-witness-alert-'));
      const logFile = join(dir, 'server.log');
      const port = await freePort();
      const ledger = await target.create([
        '--witness-urls',
        `http://127.0.0.1:${port}/add-checkpoint`,
        '--checkpoint-publish-interval',
        '100ms',
        '--log-format',
        'json',
        '--log-file',
        logFile,
        '--port',
        '0',
      ]);
      const opened = await openServer(loadConfig({ argv: ledger.flags, env: {} }));
      const running = await opened.listen();
      let witness: Awaited<ReturnType<typeof startWitnessServer>> | undefined;
      try {
        const made = await cli([
          'witness',
          'init',
          '--dir',
          join(dir, 'witness'),
          '--name',
          'witness.example/alert',
          '--ledger',
          running.url,
        ]);
        expect(made.code, made.err).to.equal(0);
        witness = await startWitnessServer({ dir: join(dir, 'witness'), port });
        const emails = ['ann@example.com', 'bob@example.com', 'cy@example.com'];
        expect(await postChain(opened, emails)).to.deep.equal([200, 200, 200]);
        const seen = witness;
        await until('the witness to cosign 3 entries', () => seen.witness.latest()?.size === 3);

        // The insider keeps 2 entries, re-signs that head, and appends 2 others: a fork of 4.
        const { store, ledger: book } = opened.context;
        await store.transaction(async (q) => {
          await q.exec('DELETE FROM ledger_entries WHERE seq > 2');
          await q.exec('DELETE FROM checkpoints WHERE seq > 2');
          await q.exec('DELETE FROM merkle_nodes');
          await q.exec(
            'UPDATE ledger_head SET seq = 2, entry_hash = (SELECT entry_hash FROM ledger_entries WHERE seq = 2) WHERE id = 1',
          );
        });
        await book.seal();
        const forked = ['dee@example.com', 'eve@example.com'];
        expect(await postChain(opened, forked)).to.deep.equal([200, 200]);

        const lines = () =>
          readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as LogLine);
        // Publishing rounds may fall between the cut and each append: the truncated head (2) and
        // the fork of the same size as the witness's (3) are then refused too, before the fork of
        // 4. The fork of 4 is refused either way.
        const reasons: Record<number, RegExp> = {
          2: /cosigned 3 entries, the ledger's head has 2: the ledger was truncated/,
          3: /HTTP 409: fork: the checkpoint for 3 entries has root \S+, this witness cosigned root \S+ for the same size/,
          4: /HTTP 422: fork: .*does not extend the 3 entries/,
        };
        const alerts = () => lines().filter((l) => l.alert === 'witness-refusal');
        await until("the fork's refusal in the log", () => alerts().some((l) => l.checkpoint?.size === 4));
        for (const alert of alerts()) {
          expect(alert.level, JSON.stringify(alert)).to.be.oneOf(['error', 50]);
          expect(alert.checkpoint).to.deep.include({
            kind: 'conflict',
            target: `http://127.0.0.1:${port}/add-checkpoint`,
          });
          const size = Number(alert.checkpoint?.size);
          expect(reasons[size], JSON.stringify(alert)).to.not.equal(undefined);
          expect(String(alert.checkpoint?.reason)).to.match(reasons[size] ?? /^$/);
          expect(alert.msg).to.match(new RegExp(`^checkpoint of ${alert.checkpoint?.size} entries not published to `));
        }
        // The witness kept what it cosigned; the forked head was not cosigned.
        expect(witness.witness.latest()?.size).to.equal(3);
        // No person in the log: neither the emails of the records nor anything derived in clear.
        const log = readFileSync(logFile, 'utf8');
        for (const email of [...emails, ...forked]) expect(log).to.not.include(email);
      } finally {
        await witness?.close();
        await running.stop();
        await ledger.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
