/**
 * The HTTP backend's mapping of ledger answers, in Node and both browsers. The transport
 * boundary is the `fetch` option (an in-test function answering like the ledger does); the
 * fault-injection runs with msw and the whole client are in delivery.node.test.ts.
 */
import { type ConsentRecord, TransportError } from '@consentkit/core';
import { expect } from 'chai';
import type { OutgoingRecord } from '../../backend.js';
import { createHttpBackend } from './http-backend.js';

const records: OutgoingRecord[] = ['a', 'b'].map((id) => ({
  id,
  jws: `jws-${id}`,
  record: { id } as unknown as ConsentRecord,
}));
const signal = new AbortController().signal;

function answering(response: () => Response) {
  const requests: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init });
    return response();
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createHttpBackend', () => {
  it('posts { records: [{ jws, opening? }] } to /v1/records and maps per-record results', async () => {
    const { fetch, requests } = answering(() =>
      Response.json({
        results: [
          { id: 'a', status: 'accepted', receipt: 'r-a', seq: 1 },
          { id: null, status: 'rejected', code: 'invalid-signature', reason: 'bad signature' },
        ],
      }),
    );
    const backend = createHttpBackend({ url: 'https://ledger.example/', fetch });
    const results = await backend.send({ records, signal });
    expect(requests[0]?.url).to.equal('https://ledger.example/v1/records');
    expect(JSON.parse(String(requests[0]?.init?.body))).to.deep.equal({
      records: [{ jws: 'jws-a' }, { jws: 'jws-b' }],
    });
    expect(results).to.deep.equal([
      { id: 'a', status: 'accepted', receipt: 'r-a' },
      // a record the ledger could not parse comes back with id null: matched by position
      { id: 'b', status: 'rejected', code: 'invalid-signature', reason: 'bad signature', retryable: false },
    ]);
  });

  it('throws a retryable TransportError with Retry-After for 429 and 5xx', async () => {
    for (const status of [429, 500, 503]) {
      const { fetch } = answering(() => new Response('busy', { status, headers: { 'retry-after': '7' } }));
      const error = await thrown(createHttpBackend({ url: 'https://ledger.example', fetch }).send({ records, signal }));
      expect(error).to.be.instanceOf(TransportError);
      expect(error).to.include({ code: 'transport', status, retryAfterMs: 7000 });
    }
  });

  it('turns a network failure into a TransportError', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const error = await thrown(createHttpBackend({ url: 'https://ledger.example', fetch }).send({ records, signal }));
    expect(error).to.be.instanceOf(TransportError);
    expect((error as TransportError).status).to.equal(undefined);
  });

  it('refuses the whole batch for good on another 4xx (an RFC 9457 problem document)', async () => {
    const { fetch } = answering(() =>
      Response.json(
        {
          type: 'urn:consentkit:problem:invalid-request',
          title: 'Bad Request',
          status: 400,
          code: 'invalid-request',
          detail: 'the records batch is invalid',
        },
        { status: 400, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    const results = await createHttpBackend({ url: 'https://ledger.example', fetch }).send({ records, signal });
    expect(results).to.deep.equal(
      ['a', 'b'].map((id) => ({
        id,
        status: 'rejected',
        code: 'invalid-record',
        reason: 'the records batch is invalid',
        retryable: false,
      })),
    );
  });

  it('loads the policy from GET /v1/policy, bare or in a { digest, policy } envelope', async () => {
    const policy = { id: 'p', version: '1', purposes: [] };
    for (const body of [policy, { digest: 'abc', policy }]) {
      const { fetch, requests } = answering(() => Response.json(body));
      const loaded = await createHttpBackend({ url: 'https://ledger.example', fetch }).fetchPolicy?.({ signal });
      expect(loaded).to.deep.equal(policy);
      expect(requests[0]?.url).to.equal('https://ledger.example/v1/policy');
    }
  });

  it('sends custom headers, and never beacons when headers are set (sendBeacon cannot carry them)', async () => {
    const { fetch, requests } = answering(() => Response.json({ results: [] }));
    const backend = createHttpBackend({
      url: 'https://ledger.example',
      fetch,
      headers: { authorization: 'Bearer k' },
      pageHide: 'beacon',
    });
    expect(backend.sendBeacon?.({ records })).to.equal(true);
    await Promise.resolve();
    expect(requests[0]?.init).to.include({ keepalive: true, method: 'POST' });
    expect(new Headers(requests[0]?.init?.headers).get('authorization')).to.equal('Bearer k');
  });

  it('rejects a url that is neither absolute nor root-relative; "/" and "" mean this origin', async () => {
    expect(() => createHttpBackend({ url: 'ledger.example' })).to.throw(/invalid-options|absolute/);
    for (const url of ['', '/']) {
      const { fetch, requests } = answering(() => Response.json({ results: [] }));
      await createHttpBackend({ url, fetch }).send({ records: [], signal });
      expect(requests[0]?.url).to.equal('/v1/records');
    }
  });
});
