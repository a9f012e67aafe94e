import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DataDirLock, LockHolder } from '../platform/store/data-dir-lock.js';
import type { OpenedServer } from '../runtime/server.js';
import { type Io, withRunningServer } from './command.js';

/**
 * `consentkit` beside a running server on the embedded store. PGlite allows one process per data
 * folder, so the CLI cannot open the folder the server holds; instead a listening server accepts
 * commands on a local socket and runs them on its own open ledger, with the same code that runs
 * them when the server is stopped (so the answers are the same). The socket is 0600 in a 0700
 * folder and wants a 256-bit token that only the lock file holds (mode 0600, beside master.key):
 * whoever can read it can already read the master key. Never on the HTTP port.
 *
 * The wire: one JSON line from the CLI ({ token, argv, cwd, terminal }), then JSON lines from the
 * server: { o } a stdout line, { e } a stderr line, { w } raw terminal text, { q } a yes/no question
 * (the CLI answers { a: boolean }), and last { x } the exit code.
 */

type Request = { token: string; argv: string[]; cwd: string; terminal: boolean };
type Frame = { o: string } | { e: string } | { w: string } | { q: string } | { x: number };

const MAX_REQUEST_BYTES = 64 * 1024;
// Unix socket paths are limited to ~107 bytes; a deep data folder gets its socket in a temp folder.
const MAX_SOCKET_PATH = 100;

const digest = (text: string) => createHash('sha256').update(text).digest();

export type CommandSocket = { readonly path: string; close(): Promise<void> };

/** Starts the command socket of a listening server and advertises it in the folder's lock. */
export async function startCommandSocket(options: {
  readonly server: OpenedServer;
  readonly lock: DataDirLock;
  readonly url: string;
  /** The CLI's entry point (consentkit.ts's runCli), passed in so this module does not import the registry. */
  readonly run: (argv: readonly string[], io: Io) => Promise<number>;
}): Promise<CommandSocket> {
  const token = randomBytes(32).toString('base64url');
  const expected = digest(token);
  let folder = mkdtempSync(join(options.lock.dir, '.cli-'));
  let path = join(folder, 's');
  if (path.length > MAX_SOCKET_PATH) {
    rmSync(folder, { recursive: true, force: true });
    folder = mkdtempSync(join(tmpdir(), 'consentkit-cli-'));
    path = join(folder, 's');
  }
  chmodSync(folder, 0o700);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {}); // a CLI that went away (Ctrl-C) must not take the server down
    socket.once('close', () => sockets.delete(socket));
    serveOne(socket, expected, options).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  options.lock.advertise({ url: options.url, socket: path, token });
  return {
    path,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function serveOne(
  socket: Socket,
  expected: Buffer,
  options: { readonly server: OpenedServer; readonly run: (argv: readonly string[], io: Io) => Promise<number> },
): Promise<void> {
  const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = lines[Symbol.asyncIterator]();
  const send = (frame: Frame) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(frame)}\n`);
  };
  const first = await iterator.next();
  if (first.done || first.value.length > MAX_REQUEST_BYTES) return void socket.end();
  let request: Request;
  try {
    request = JSON.parse(first.value) as Request;
  } catch {
    return void socket.end();
  }
  if (
    typeof request.token !== 'string' ||
    !timingSafeEqual(digest(request.token), expected) ||
    !Array.isArray(request.argv) ||
    !request.argv.every((a) => typeof a === 'string') ||
    request.argv[0] === 'serve'
  ) {
    send({ e: '[consentkit] the running server refused the command (wrong token, or not a command it runs)' });
    send({ x: 2 });
    return void socket.end();
  }
  const io: Io = {
    out: (line) => send({ o: line }),
    err: (line) => send({ e: line }),
    cwd: typeof request.cwd === 'string' ? request.cwd : process.cwd(),
    ...(request.terminal
      ? {
          terminal: {
            write: (text: string) => send({ w: text }),
            async confirm(question: string) {
              send({ q: question });
              const answer = await iterator.next();
              if (answer.done) return false; // the CLI went away (Ctrl-C): no
              try {
                return (JSON.parse(answer.value) as { a?: unknown }).a === true;
              } catch {
                return false;
              }
            },
          },
        }
      : {}),
  };
  const code = await withRunningServer(options.server, () => options.run(request.argv, io));
  send({ x: code });
  socket.end();
}

/** Runs `argv` in the server that holds the folder; resolves with the command's exit code. */
export function runThroughServer(holder: LockHolder, argv: readonly string[], io: Io): Promise<number> {
  return new Promise((resolve) => {
    if (!holder.socket || !holder.token) {
      io.err('[consentkit] the running server did not publish its command socket; stop it and run the command again');
      resolve(1);
      return;
    }
    const socket = connect(holder.socket);
    let code: number | undefined;
    socket.once('error', (error) => {
      io.err(
        `[consentkit] cannot reach the running server (pid ${holder.pid}) on its command socket: ${error.message}. ` +
          'If it is stopping, run the command again once it has stopped.',
      );
      code ??= 1;
      resolve(code);
    });
    socket.once('connect', () => {
      const request: Request = {
        token: holder.token ?? '',
        argv: [...argv],
        cwd: io.cwd ?? process.cwd(),
        terminal: io.terminal !== undefined,
      };
      socket.write(`${JSON.stringify(request)}\n`);
    });
    const lines = createInterface({ input: socket, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      let frame: Frame;
      try {
        frame = JSON.parse(line) as Frame;
      } catch {
        return;
      }
      if ('o' in frame) io.out(frame.o);
      else if ('e' in frame) io.err(frame.e);
      else if ('w' in frame) io.terminal?.write(frame.w);
      else if ('q' in frame) {
        const ask = io.terminal ? io.terminal.confirm(frame.q) : Promise.resolve(false);
        void ask.then((a) => socket.write(`${JSON.stringify({ a })}\n`));
      } else if ('x' in frame) code = frame.x;
    });
    socket.once('close', () => {
      if (code === undefined) {
        io.err('[consentkit] the running server closed the connection before the command finished');
        code = 1;
      }
      resolve(code);
    });
  });
}
