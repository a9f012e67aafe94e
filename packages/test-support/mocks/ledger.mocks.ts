/**
 * msw handlers for a small ledger, for the SDK's fault-injection tests (msw is for fault
 * injection only; the real ledger is tested over real HTTP): it really verifies each record's signature and
 * chain with core, stores each record id once (as the real ledger does) and counts what it
 * stored, so a test can assert "each record delivered exactly once". Faults are queued per
 * request and applied before (or, for `store-then-500`, after) the record is stored.
 */
import { type ConsentRecord, verifyRecord } from '@consentkit/core';
import { delay, HttpResponse, http } from 'msw';

export const MOCK_LEDGER_URL = 'https://ledger.test';

export type Fault =
  | { kind: 'network-error' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang'; ms: number } // the request hangs: the client's timeout fires
  | { kind: 'store-then-500' } // the ledger stored it but the answer was lost
  | { kind: 'reject'; status: number; code: string };

export type MockLedger = ReturnType<typeof createMockLedger>;

export function createMockLedger() {
  const stored = new Map<string, { record: ConsentRecord; digest: string; kid: string; opening?: unknown }>();
  const storeCount = new Map<string, number>();
  const chainHead = new Map<string, string>();
  const faults: Fault[] = [];
  const requestTimes: number[] = [];
  let posts = 0;

  const store = async (items: { jws: string; opening?: unknown }[]) => {
    const results = [];
    for (const item of items) {
      const { record, header, digest } = await verifyRecord(item.jws);
      if (!stored.has(record.id)) {
        // The ledger checks each key's chain: records must arrive in signing order.
        const expectedPrev = chainHead.get(header.kid) ?? null;
        if (record.prev !== expectedPrev) {
          results.push({ id: record.id, status: 'rejected', code: 'chain-broken', reason: 'prev does not match' });
          continue;
        }
        chainHead.set(header.kid, digest);
        stored.set(record.id, { record, digest, kid: header.kid, opening: item.opening });
        storeCount.set(record.id, (storeCount.get(record.id) ?? 0) + 1);
      }
      results.push({ id: record.id, status: 'accepted', receipt: `receipt:${record.id}` });
    }
    return results;
  };

  const handlers = [
    http.post(`${MOCK_LEDGER_URL}/v1/records`, async ({ request }) => {
      posts++;
      requestTimes.push(Date.now());
      const fault = faults.shift();
      const body = JSON.parse(await request.text()) as { records: { jws: string; opening?: unknown }[] };
      if (fault?.kind === 'network-error') return HttpResponse.error();
      if (fault?.kind === 'status') {
        return new HttpResponse('unavailable', {
          status: fault.status,
          headers: fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter },
        });
      }
      if (fault?.kind === 'reject') {
        return HttpResponse.json({ error: { code: fault.code, message: 'refused by test' } }, { status: fault.status });
      }
      if (fault?.kind === 'hang') {
        await store(body.records);
        await delay(fault.ms);
      }
      const results = await store(body.records);
      if (fault?.kind === 'store-then-500') return new HttpResponse('lost', { status: 500 });
      return HttpResponse.json({ results });
    }),
  ];

  return {
    handlers,
    stored,
    storeCount,
    requestTimes,
    get posts() {
      return posts;
    },
    inject(...next: Fault[]) {
      faults.push(...next);
    },
  };
}
