import { existsSync, readFileSync } from 'node:fs';
import { type ServerType, serve } from '@hono/node-server';
import { CliUsageError, requiredValue, splitArgs } from '../cli/args.js';
import { type Command, type Io, userPath } from '../cli/command.js';
import { parseCheckpointNote } from '../ledger/checkpoint-note.js';
import { initWitness, openWitness, type Witness } from './witness.js';
import { WitnessError } from './witness-error.js';
import { createWitnessRoutes } from './witness-routes.js';

/**
 * `consentkit witness`: a witness of a ledger's transparency log, run as a process of its own on
 * another machine (R72). It never opens a ledger: it reads checkpoints and consistency proofs over
 * HTTP (`add`) or receives them (`serve`, C2SP tlog-witness), and keeps its state in `--dir`.
 */
const FLAGS = {
  dir: 'value',
  name: 'value',
  'log-key': 'value',
  ledger: 'value',
  checkpoint: 'value',
  port: 'value',
  host: 'value',
} as const;

async function fetchText(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'text/plain, application/json' } });
  } catch (error) {
    throw new CliUsageError(`could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = await response.text();
  if (!response.ok) throw new CliUsageError(`${url} answered HTTP ${response.status}: ${body.slice(0, 200)}`);
  return body;
}

const ledgerUrl = (value: string | true | undefined) => requiredValue(value, '--ledger').replace(/\/+$/, '');

/** Asks the ledger for the proof that `from` extends to `to` (none when there is nothing to prove). */
async function consistencyFrom(ledger: string, from: number, to: number): Promise<Buffer[]> {
  if (from === 0 || from >= to) return [];
  const body = JSON.parse(await fetchText(`${ledger}/v1/log/consistency?from=${from}&to=${to}`)) as {
    proof?: unknown;
  };
  if (!Array.isArray(body.proof) || body.proof.some((h) => typeof h !== 'string'))
    throw new CliUsageError(`${ledger}/v1/log/consistency did not answer a proof`);
  return (body.proof as string[]).map((h) => Buffer.from(h, 'base64'));
}

/** Fetches (or reads) a checkpoint and its proof, and offers them to the witness. */
async function add(witness: Witness, ledger: string, file: string | undefined, io: Io): Promise<number> {
  const note = file ? readFileSync(userPath(io, file), 'utf8') : await fetchText(`${ledger}/v1/log/checkpoint`);
  const parsed = parseCheckpointNote(note);
  if ('reason' in parsed) {
    io.err(`REFUSED: not a checkpoint: ${parsed.reason}`);
    return 1;
  }
  const oldSize = witness.latest()?.size ?? 0;
  // A shorter checkpoint needs no proof to be refused; asking the ledger for one would fail first.
  const proof = parsed.size > oldSize ? await consistencyFrom(ledger, oldSize, parsed.size) : [];
  try {
    const line = await witness.add({ oldSize, proof, note });
    io.out(`cosigned: ${parsed.size} entries of ${parsed.origin}, root ${parsed.root.toString('base64')}`);
    io.out(line.trimEnd());
    return 0;
  } catch (error) {
    if (!(error instanceof WitnessError)) throw error;
    io.err(`REFUSED (${error.status}): ${error.detail}`);
    return 1;
  }
}

/** Serves the witness (tlog-witness) until stopped; `url` is where it listens. */
export async function startWitnessServer(options: {
  readonly dir: string;
  readonly port?: number;
  readonly host?: string;
}): Promise<{ readonly url: string; readonly witness: Witness; close(): Promise<void> }> {
  const witness = openWitness(options.dir);
  const app = createWitnessRoutes({ witness });
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    witness,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export const witnessCommand: Command = {
  summary: "a witness of a ledger's checkpoints: keeps them, refuses a truncation or fork, cosigns the rest",
  usage:
    'consentkit witness init --dir DIR --name NAME (--log-key KEY | --ledger URL)\n' +
    'consentkit witness add --dir DIR --ledger URL [--checkpoint FILE]\n' +
    'consentkit witness serve --dir DIR [--port N] [--host H]\n' +
    'consentkit witness show --dir DIR',
  options: [
    ['--dir <folder>', "the witness's state: its key, the log it keeps, every checkpoint it cosigned or refused"],
    ['--name <name>', 'init: the witness name in its cosignatures (e.g. witness.example/w1)'],
    ['--log-key <key>', "init: the ledger's checkpoint verifier key (consentkit checkpoint --key, GET /v1/log/key)"],
    ['--ledger <url>', 'the ledger: init reads its key there, add its checkpoint and consistency proofs'],
    ['--checkpoint <file>', 'add: a checkpoint note saved earlier instead of the ledger’s current one'],
    [
      '--port <n>, --host <h>',
      'serve: where POST /add-checkpoint (C2SP tlog-witness) listens (default 127.0.0.1, any port)',
    ],
  ],
  offline: () => true,
  async run(argv, io) {
    const { options, positionals } = splitArgs(argv, FLAGS);
    const action = positionals[0];
    try {
      const dir = userPath(io, requiredValue(options.dir, '--dir'));
      if (action === 'init') {
        const logKey =
          typeof options['log-key'] === 'string'
            ? options['log-key']
            : await fetchText(`${ledgerUrl(options.ledger)}/v1/log/key`);
        const key = initWitness(dir, { name: requiredValue(options.name, '--name'), logKey });
        io.out(`witness made in ${dir}; its verifier key (give it to whoever checks cosignatures):`);
        io.out(key);
        return 0;
      }
      if (!existsSync(dir))
        throw new CliUsageError(`--dir ${dir} does not exist: make it with consentkit witness init`);
      if (action === 'add') {
        const file = typeof options.checkpoint === 'string' ? options.checkpoint : undefined;
        return await add(openWitness(dir), ledgerUrl(options.ledger), file, io);
      }
      if (action === 'show') {
        const witness = openWitness(dir);
        io.out(`witness ${witness.name} of ${witness.logOrigin}; key ${witness.verifierKey}`);
        const latest = witness.latest();
        if (!latest) io.out('no checkpoint cosigned yet');
        else for (const line of latest.note.trimEnd().split('\n')) io.out(line);
        return 0;
      }
      if (action === 'serve') {
        const port = options.port === undefined ? 0 : Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError('--port must be 0–65535');
        const running = await startWitnessServer({
          dir,
          port,
          ...(typeof options.host === 'string' ? { host: options.host } : {}),
        });
        io.out(
          `witness ${running.witness.name} of ${running.witness.logOrigin} listening on ${running.url}/add-checkpoint`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
        return 0;
      }
      throw new CliUsageError('consentkit witness needs init, add, serve or show');
    } catch (error) {
      if (error instanceof CliUsageError) {
        io.err(error.detail);
        return 2;
      }
      if (error instanceof WitnessError) {
        io.err(`REFUSED: ${error.detail}`);
        return 1;
      }
      throw error;
    }
  },
};
