/**
 * The real ConsentKit server (`openServer`: PGlite in a temporary folder, the AllStream policy,
 * the examples, the drop-in and the application form's handler — the same wiring as
 * support/ledger.ts) behind a node:http front that can misbehave on the ledger's ingest path,
 * `POST /v1/records`, the way networks and servers do:
 *
 * | fault         | what the browser sees                                                   | reached the app? |
 * | ------------- | ----------------------------------------------------------------------- | ---------------- |
 * | `drop`        | the connection is cut before an answer (a network drop)                 | no               |
 * | `drop-after`  | the app stored the batch, then the connection is cut (lost receipt)     | yes              |
 * | `5xx`         | 503 Service Unavailable with Retry-After: 1                             | no               |
 * | `5xx-after`   | 500 although the app stored the batch                                   | yes              |
 * | `slow`        | the answer comes after `slowMs`                                         | yes              |
 * | `hold`        | no answer until the server restarts (then the connection is cut)        | no               |
 *
 * `restart()` stops the listener (every open connection is cut), closes the store, opens the
 * same data folder again and listens on the same port — a deploy or crash-restart as clients see
 * it. Pages, the policy and the form handler are never faulted, so a capture itself succeeds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LedgerVerification, type OpenedServer, openServer, verifyLedger } from '@consentkit/server';
import { createApplicationHandler, type ReceivedApplication } from '../../application-form/handler.js';
import { API_KEY, exampleRoutes, ledgerConfig, readBody, sendResponse, toRequest } from './ledger.js';

export const FAULTS = ['drop', 'drop-after', '5xx', '5xx-after', 'slow', 'hold'] as const;
export type Fault = (typeof FAULTS)[number] | 'none';

const INGEST_PATH = '/v1/records';

export type FaultCounts = Record<Fault | 'restart-cut', number>;

export type FaultyLedger = {
  readonly url: string;
  readonly applications: readonly ReceivedApplication[];
  /** The fault applied to every POST /v1/records from now on. */
  setFault(fault: Fault): void;
  /** How many ingest requests met each fault (`none`: answered normally). */
  readonly counts: Readonly<FaultCounts>;
  restart(): Promise<void>;
  readonly restarts: number;
  /** Ledger entries, and how many distinct record ids they hold (straight from the store). */
  entries(): Promise<{ total: number; distinct: number; recordIds: string[] }>;
  /** A person's records through the admin API (GET /v1/subjects/{email}/records); none → []. */
  recordsOf(email: string): Promise<{ recordId: string }[]>;
  verify(): Promise<LedgerVerification>;
  stop(): Promise<void>;
};

export async function startFaultyLedger(options: { slowMs?: number } = {}): Promise<FaultyLedger> {
  const slowMs = options.slowMs ?? 2_500;
  const dataDir = mkdtempSync(join(tmpdir(), 'consentkit-faults-data-'));
  const applications: ReceivedApplication[] = [];
  const handleApplication = createApplicationHandler({ onReceived: (a) => applications.push(a) });
  const counts: FaultCounts = {
    none: 0,
    drop: 0,
    'drop-after': 0,
    '5xx': 0,
    '5xx-after': 0,
    slow: 0,
    hold: 0,
    'restart-cut': 0,
  };
  let fault: Fault = 'none';
  let opened: OpenedServer | undefined;
  let restarts = 0;
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const ingest = req.method === 'POST' && path === INGEST_PATH;
    const now: Fault = ingest ? fault : 'none';
    if (ingest) counts[now]++;
    void (async () => {
      try {
        // The whole body is read first, as a server would before handling it.
        const body = await readBody(req);
        if (now === 'drop') {
          req.socket.destroy();
          return;
        }
        if (now === 'hold') {
          held.add(req.socket);
          return;
        }
        if (now === '5xx') {
          res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' });
          res.end('down for maintenance');
          return;
        }
        if (now === 'slow') await sleep(slowMs);
        const app = opened?.app;
        if (!app) {
          req.socket.destroy();
          return;
        }
        const response = await app.fetch(toRequest(req, body, url));
        if (now === 'drop-after') {
          // Stored (the app answered), but the receipt never reaches the browser.
          await response.arrayBuffer();
          req.socket.destroy();
          return;
        }
        if (now === '5xx-after') {
          await response.arrayBuffer();
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('internal error after the write');
          return;
        }
        await sendResponse(res, response, req.method === 'HEAD');
      } catch (error) {
        if (!res.headersSent && !req.socket.destroyed) {
          res.statusCode = 500;
          res.end(String(error));
        }
      }
    })();
  };

  let http: Server = createServer(handle);
  const track = (server: Server) =>
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        held.delete(socket);
      });
    });
  track(http);
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const config = ledgerConfig({ dataDir, port });
  const open = () => openServer(config, { routes: exampleRoutes(handleApplication) });
  opened = await open();

  const closeListener = () =>
    new Promise<void>((done) => {
      http.close(() => done());
      counts['restart-cut'] += held.size;
      for (const socket of sockets) socket.destroy();
    });

  const current = (): OpenedServer => {
    if (!opened) throw new Error('the ledger is not running');
    return opened;
  };

  return {
    url,
    applications,
    setFault: (next) => {
      fault = next;
    },
    counts,
    get restarts() {
      return restarts;
    },
    async restart() {
      await closeListener();
      const previous = opened;
      opened = undefined;
      await previous?.close();
      opened = await open();
      http = createServer(handle);
      track(http);
      await new Promise<void>((done, fail) => {
        http.once('error', fail);
        http.listen(port, '127.0.0.1', () => done());
      });
      restarts++;
    },
    async entries() {
      const rows = await current().context.store.query<{ record_id: string }>(
        'SELECT record_id FROM ledger_entries ORDER BY seq',
      );
      const recordIds = rows.map((r) => r.record_id);
      return { total: recordIds.length, distinct: new Set(recordIds).size, recordIds };
    },
    async recordsOf(email) {
      const response = await fetch(`${url}/v1/subjects/${encodeURIComponent(email)}/records`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(`records of ${email}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { records: { recordId: string }[] }).records;
    },
    async verify() {
      const { context } = current();
      return verifyLedger({ store: context.store, ledger: context.ledger, keys: await context.keyring.publicJwks() });
    },
    async stop() {
      await closeListener();
      await opened?.close();
      opened = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
