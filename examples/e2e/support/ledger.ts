/**
 * The real ConsentKit server for end-to-end tests: `openServer` (the same wiring `pnpm start`
 * uses: PGlite store in a temporary folder, the AllStream policy, the examples, the drop-in and
 * the application form's handler mounted) on a free local port. Nothing is
 * mocked; the only extra is a switch that cuts the connection for chosen paths, so a journey can
 * take the ledger off the network while the pages stay up — which is why this file serves the
 * app on its own node:http listener instead of the server's startServer().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ConsentRecord, ConsentState } from '@consentkit/core';
import { type Attestor, createAttestor } from '@consentkit/sdk/node';
import {
  type LedgerContext,
  loadConfig,
  type OpenedServer,
  openServer,
  type ServerConfig,
  type UnsubscribeLinks,
} from '@consentkit/server';
import { exposeIdentifiers } from '@consentkit/test-support/identifiers';
import { issueApiKey, readBody, sendResponse, toRequest } from '@consentkit/test-support/server';
import { examplesRoutes } from '../../../scripts/start/examples-routes.mjs';
import {
  APPLICATION_PATH,
  type AttestOutcome,
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
  /** How the application form's backend attested each record it received (the SDK's attestor), in order. */
  readonly attestations: ReadonlyArray<{ readonly recordId: string; readonly outcome: AttestOutcome }>;
  /** Holds the backend's attestations (they wait, nothing is lost) until `release()` is called. */
  holdAttestations(): { release(): void };
  /** The assurance the ledger stored for a record's entry (`device`, `site`, `inbox`). */
  assuranceOf(recordId: string): Promise<string | undefined>;
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
  stateOf(email: string): Promise<ConsentState>;
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

export { readBody, sendResponse, toRequest };

/**
 * Finds a free port by letting the OS pick one, then starts the server on it. `env` adds
 * settings (e.g. `CONSENTKIT_CORS_ORIGINS` for an app served from another origin).
 */
export async function startLedger(options: { env?: Record<string, string> } = {}): Promise<TestLedger> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consentkit-e2e-data-'));
  const applications: ReceivedApplication[] = [];
  const attestations: Array<{ recordId: string; outcome: AttestOutcome }> = [];
  // The form's backend attests each record it receives, as the example's README shows, with the
  // SDK's attestor and a key of scope `attest` made once the ledger is open.
  let attestor: Attestor | undefined;
  let held: Promise<void> = Promise.resolve();
  const handleApplication = createApplicationHandler({
    onReceived: (a) => applications.push(a),
    attestor: {
      attest: async (recordId, options) => {
        await held;
        if (!attestor) throw new Error('the e2e ledger is not open yet');
        return attestor.attest(recordId, options);
      },
    },
    onAttested: (recordId, outcome) => attestations.push({ recordId, outcome }),
  });
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

  const config = ledgerConfig({
    dataDir,
    port,
    extra: { CONSENTKIT_UNSUBSCRIBE_MAILTO: UNSUBSCRIBE_MAILTO, ...options.env },
  });
  // The examples and the form handler are mounted the way `pnpm start` mounts them (extra routes).
  opened = await openServer(config, { routes: exampleRoutes(handleApplication) });
  const server = opened;
  attestor = createAttestor({ ledgerUrl: url, apiKey: await issueApiKey(server.context.store, 'attest', 'website') });

  const admin = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  return {
    url,
    context: server.context,
    applications,
    attestations,
    holdAttestations() {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return { release };
    },
    async assuranceOf(recordId) {
      const rows = await server.context.store.query<{ assurance: string }>(
        'SELECT assurance FROM ledger_entries WHERE record_id = $1',
        [recordId],
      );
      return rows[0]?.assurance;
    },
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
      // The ref and the tokens (the last path segment of each link) this journey will use.
      exposeIdentifiers('ref', links.subjectRef);
      exposeIdentifiers(
        'token',
        ...[links.unsubscribeUrl, links.preferencesUrl, ...links.confirmations.map((c) => c.url)].map((u) =>
          new URL(u).pathname.split('/').at(-1),
        ),
      );
      return links;
    },
    async stateOf(email) {
      return (await admin<{ state: ConsentState }>(`/v1/subjects/${encodeURIComponent(email)}/state`)).state;
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
