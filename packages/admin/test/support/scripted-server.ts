/**
 * Fault injection for the element tests: a `fetch` that answers chosen paths with chosen statuses
 * and bodies (a missing route, a refused key, a tampered record, a network cut). The real server is
 * exercised end to end in examples/e2e/admin.test.ts; these tests cover what a healthy server
 * cannot be made to answer on demand. Bodies follow the server's documented shapes (api-types.ts).
 */
export type ScriptedAnswer = { readonly status: number; readonly body?: unknown } | 'network-error';

export type ScriptedServer = {
  readonly fetch: typeof fetch;
  /** Every request made, in order: method, path with query, Authorization header. */
  readonly requests: { method: string; url: string; authorization: string | null; body: string | null }[];
};

export function scriptedServer(routes: Readonly<Record<string, ScriptedAnswer>>): ScriptedServer {
  const requests: ScriptedServer['requests'] = [];
  const scripted = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input instanceof Request ? input.url : input), 'http://admin.test');
    const headers = new Headers(init?.headers);
    requests.push({
      method: init?.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? init.body : null,
    });
    const answer = routes[url.pathname] ?? { status: 404, body: { status: 404, detail: 'no such resource' } };
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    const problem = answer.status >= 400;
    return new Response(JSON.stringify(answer.body ?? {}), {
      status: answer.status,
      headers: { 'content-type': problem ? 'application/problem+json' : 'application/json' },
    });
  };
  return { fetch: scripted as typeof fetch, requests };
}
