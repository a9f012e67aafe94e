import { AdminError } from './admin-error.js';
import type {
  CollectionPointStats,
  Deliveries,
  DeliveryStatus,
  LedgerStatus,
  PurposeStats,
  SubjectLookup,
} from './api-types.js';

/**
 * The dashboard's only way to the server: fetch() to the same origin with the API key in the
 * Authorization header. The key never goes into a URL (logs, history, Referer) or a cookie (a
 * cookie would ride along on any GET a third-party page could trigger); `credentials: 'omit'`
 * keeps ambient cookies out of these calls too.
 */
export type AdminClient = {
  purposeStats(range: { readonly from: string; readonly to: string }): Promise<PurposeStats>;
  collectionPoints(): Promise<CollectionPointStats>;
  ledgerStatus(): Promise<LedgerStatus>;
  lookupSubject(query: string): Promise<SubjectLookup>;
  deliveries(options: { readonly status: DeliveryStatus; readonly limit: number }): Promise<Deliveries>;
  /** Purpose id → its English title, from the ledger's public policy; empty when it cannot be read. */
  purposeTitles(): Promise<ReadonlyMap<string, string>>;
};

export type AdminClientOptions = {
  /** The API key (scope read or admin). */
  readonly key: string;
  /** Defaults to the page's origin. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
};

type Problem = { readonly detail?: unknown; readonly title?: unknown };

async function problemText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as Problem;
    if (typeof body.detail === 'string') return body.detail;
    if (typeof body.title === 'string') return body.title;
  } catch {
    // Not JSON: the status says enough.
  }
  return `the server answered ${response.status}`;
}

function codeOf(status: number): AdminError['code'] {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'server';
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const base = options.baseUrl ?? globalThis.location?.origin ?? '';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.key}`, accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: init.method ?? 'GET',
        headers,
        credentials: 'omit',
        cache: 'no-store',
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch (error) {
      throw new AdminError('network', 'the server could not be reached; check the connection and try again', {
        cause: error,
      });
    }
    if (!response.ok) {
      throw new AdminError(codeOf(response.status), await problemText(response), { status: response.status });
    }
    return (await response.json()) as T;
  }

  let titles: Promise<ReadonlyMap<string, string>> | undefined;

  return {
    purposeStats: (range) =>
      call(
        `/v1/admin/stats/purposes?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}&bucket=day`,
      ),
    collectionPoints: () => call('/v1/admin/stats/collection-points'),
    ledgerStatus: () => call('/v1/admin/ledger-status'),
    // POST so the email address stays out of every URL.
    lookupSubject: (query) => call('/v1/admin/subject-lookup', { method: 'POST', body: { query } }),
    async deliveries({ status, limit }) {
      try {
        return await call<Deliveries>(`/v1/partners/deliveries?status=${status}&limit=${limit}`);
      } catch (error) {
        // No such route: this server has no partner queue (yet), which is not the operator's mistake.
        if (error instanceof AdminError && error.code === 'not-found') {
          throw new AdminError('not-available', 'this server does not offer the partner delivery log', {
            status: 404,
            cause: error,
          });
        }
        throw error;
      }
    },
    purposeTitles() {
      // Read once: the names are a nicety beside the ids, so any failure just leaves the ids.
      titles ??= call<PolicyTitles>('/v1/policy').then(
        (body) => new Map((body.policy?.purposes ?? []).map((p) => [p.id, p.title?.en ?? p.id])),
        () => new Map(),
      );
      return titles;
    },
  };
}

/** The part of `GET /v1/policy` the dashboard reads. */
type PolicyTitles = { readonly policy?: { readonly purposes?: readonly { id: string; title?: { en?: string } }[] } };
