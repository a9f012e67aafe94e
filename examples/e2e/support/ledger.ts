/**
 * The real ConsentKit server for end-to-end tests: `openServer` (the same wiring `pnpm start`
 * uses: PGlite store in a temporary folder, the AllStream policy, the examples, the drop-in and
 * the application form's handler mounted) on a free local port. Nothing is
 * mocked; the only extra is a switch that cuts the connection for chosen paths, so a journey can
 * take the ledger off the network while the pages stay up — which is why this file serves the
 * app on its own node:http listener instead of the server's startServer().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConsentRecord } from '@consentkit/core';
import {
  type LedgerContext,
  loadConfig,
  type OpenedServer,
  openServer,
  type ServerConfig,
  type UnsubscribeLinks,
} from '@consentkit/server';
import { exposeIdentifiers } from '@consentkit/test-support/identifiers';
import { examplesRoutes } from '../../../scripts/start/examples-routes.mjs';
import {
  APPLICATION_PATH,
  createApplicationHandler,
  type ReceivedApplication,
} from '../../application-form/handler.js';
import { fetchLinks } from '../../email/mailer.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const EXAMPLES_DIR = join(ROOT, 'examples');
export const POLICY_FILE = join(ROOT, 'examples/policies/allstream.json');
export const WIDGET_DIST = join(ROOT, 'packages/widget/dist');
export const API_KEY = 'e2e-admin-key-0123456789abcdef';
export const UNSUBSCRIBE_MAILTO = 'unsubscribe@news.allstream.example';

/** One entry of GET /v1/subjects/{ref}/records. */
export type SubjectRecord = {
  readonly seq: number;
  readonly recordId: string;
  readonly digest: string;
  readonly receivedAt: string;
  readonly record: ConsentRecord;
  readonly jws: string;
  readonly receipt: string;
};

export type LedgerEntryView = {
  readonly seq: number;
  readonly recordId: string;
  readonly jws: string;
  readonly record: ConsentRecord;
};

export type TestLedger = {
  /** `http://127.0.0.1:<port>` — pages, hosted pages and the ledger API share this origin. */
  readonly url: string;
  readonly context: LedgerContext;
  /** What the application form's handler received, oldest first. */
  readonly applications: readonly ReceivedApplication[];
  /** Drops every connection to a path starting with `prefix` (a network cut) until `restore()`. */
  cut(prefix: string): void;
  restore(): void;
  /** How many requests to cut paths were dropped. */
  readonly dropped: number;
  /** The subject's ledger history through the admin API (GET /v1/subjects/{email}/records). */
  recordsOf(email: string): Promise<SubjectRecord[]>;
  /** A sender's links and headers for an address, through the admin API (POST /v1/links). */
  linksFor(email: string, purpose: string): Promise<UnsubscribeLinks>;
  /** Per-purpose state through the admin API (GET /v1/subjects/{email}/state). */
  stateOf(email: string): Promise<Record<string, { status: string; reason: string }>>;
  /** Every ledger entry, in sequence order (the export stream), decoded. */
  allEntries(): Promise<LedgerEntryView[]>;
  stop(): Promise<void>;
};

const decodeRecord = (jws: string): ConsentRecord =>
  JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as ConsentRecord;

/**
 * The configuration `pnpm start` would make, for a ledger on `port` whose data lives in `dataDir`
 * (the AllStream policy, the admin key above), plus any `extra` settings.
 */
export function ledgerConfig(options: { dataDir: string; port: number; extra?: Record<string, string> }): ServerConfig {
  return loadConfig({
    argv: [],
    cwd: ROOT,
    env: {
      CONSENTKIT_DATA_DIR: options.dataDir,
      CONSENTKIT_POLICY: POLICY_FILE,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${options.port}`,
      CONSENTKIT_API_KEY: API_KEY,
      // Quiet unless asked: the log scan (packages/server/test/ops) runs the journeys at debug, as JSON, into a file.
      CONSENTKIT_LOG_LEVEL: process.env.CONSENTKIT_LOG_LEVEL ?? 'warn',
      CONSENTKIT_LOG_FORMAT: process.env.CONSENTKIT_LOG_FORMAT,
      CONSENTKIT_LOG_FILE: process.env.CONSENTKIT_LOG_FILE,
      ...options.extra,
    },
  });
}

/** What `pnpm start` mounts beside the ledger: the examples folder and the application form's handler. */
export function exampleRoutes(handleApplication: (request: Request) => Promise<Response>) {
  return [
    ...examplesRoutes({ dir: EXAMPLES_DIR }),
    { method: 'POST' as const, path: APPLICATION_PATH, handler: handleApplication },
  ];
}

/** A node:http request's body (small here: forms and record batches). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** node:http → fetch Request, with the body already read (the fault suite inspects it first). */
export function toRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: new Uint8Array(body) } : {}),
  });
}

/** fetch Response → node:http (every Set-Cookie kept as its own header). */
export async function sendResponse(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const body = head ? undefined : Buffer.from(await response.arrayBuffer());
  res.end(body);
}

/** Finds a free port by letting the OS pick one, then starts the server on it. */
export async function startLedger(): Promise<TestLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consentkit-e2e-data-'));
  const applications: ReceivedApplication[] = [];
  const handleApplication = createApplicationHandler({ onReceived: (a) => applications.push(a) });
  const cuts = new Set<string>();
  let dropped = 0;
  let opened: OpenedServer | undefined;

  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if ([...cuts].some((prefix) => path.startsWith(prefix))) {
      // As if the network to the ledger were down: no status, no body, the connection just goes.
      dropped++;
      req.socket.destroy();
      return;
    }
    void (async () => {
      try {
        const request = toRequest(req, await readBody(req), url);
        const response = opened ? await opened.app.fetch(request) : new Response('starting', { status: 503 });
        await sendResponse(res, response, req.method === 'HEAD');
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    })();
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const config = ledgerConfig({ dataDir, port, extra: { CONSENTKIT_UNSUBSCRIBE_MAILTO: UNSUBSCRIBE_MAILTO } });
  // The examples and the form handler are mounted the way `pnpm start` mounts them (extra routes).
  opened = await openServer(config, { routes: exampleRoutes(handleApplication) });
  const server = opened;

  const admin = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  return {
    url,
    context: server.context,
    applications,
    cut: (prefix) => cuts.add(prefix),
    restore: () => cuts.clear(),
    get dropped() {
      return dropped;
    },
    async recordsOf(email) {
      const response = await fetch(`${url}/v1/subjects/${encodeURIComponent(email)}/records`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      // An email the ledger has never seen is a 404: no records.
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(`records of ${email}: ${response.status} ${await response.text()}`);
      const { records } = (await response.json()) as { records: SubjectRecord[] };
      exposeIdentifiers('record-id', ...records.map((r) => r.recordId));
      return records;
    },
    async linksFor(email, purpose) {
      const links = await fetchLinks({ ledgerUrl: url, apiKey: API_KEY, email, purpose });
      // The ref and the two tokens (the last path segment of each link) this journey will use.
      exposeIdentifiers('ref', links.subjectRef);
      exposeIdentifiers(
        'token',
        ...[links.unsubscribeUrl, links.preferencesUrl].map((u) => new URL(u).pathname.split('/').at(-1)),
      );
      return links;
    },
    async stateOf(email) {
      return (
        await admin<{ state: Record<string, { status: string; reason: string }> }>(
          `/v1/subjects/${encodeURIComponent(email)}/state`,
        )
      ).state;
    },
    async allEntries() {
      const entries: LedgerEntryView[] = [];
      const rows = await server.context.store.query<{ seq: number; record_id: string; jws: string }>(
        'SELECT seq, record_id, jws FROM ledger_entries ORDER BY seq',
      );
      for (const row of rows) {
        entries.push({ seq: Number(row.seq), recordId: row.record_id, jws: row.jws, record: decodeRecord(row.jws) });
      }
      return entries;
    },
    async stop() {
      await new Promise<void>((done) => {
        http.close(() => done());
        http.closeAllConnections();
      });
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
