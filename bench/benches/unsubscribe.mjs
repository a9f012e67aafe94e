// 5. RFC 8058 one-click unsubscribe under load: POST /u/{token} with
// `List-Unsubscribe=One-Click`, offered at a fixed 1,000 requests/s by autocannon over keep-alive
// connections, each request a different person (a first unsubscribe writes a signed record: the
// real work).
import { FIXED_RATE_COLUMNS, fixedRateLoad, fixedRatePerStore } from '../lib/fixed-rate.mjs';

export async function run(ctx) {
  const rate = ctx.smoke ? 100 : 1000;
  const durationMs = ctx.smoke ? 1000 : 10_000;
  const warmupMs = ctx.smoke ? 200 : 2000;
  // A link per request and some to spare (autocannon may send a little over the rate).
  const people = Math.ceil(((rate * (durationMs + warmupMs)) / 1000) * 1.2);
  const { figures, rows, notes, checks } = await fixedRatePerStore(ctx, {
    id: 'unsubscribe',
    what: 'one-click',
    rate,
    // p99 at the offered rate: 25 ms on PostgreSQL, 50 ms on PGlite (the default store shares the
    // server's thread).
    target: (storeKind) =>
      storeKind === 'postgres' ? { op: '<=', value: 25, text: '≤ 25 ms' } : { op: '<=', value: 50, text: '≤ 50 ms' },
    load: async (server, storeKind) => {
      // Each person has a form-submit record granting marketing (opt-out basis) and a link.
      const seeded = await server.call('/__bench/generate', {
        count: people * 2,
        returnRefs: people,
        tokens: people,
        scope: 'unsubscribe:marketing',
      });
      ctx.log(`${storeKind}: seeded ${seeded.entries} entries, ${seeded.tokens.length} links`);
      return fixedRateLoad({
        url: server.url,
        rate,
        durationMs,
        warmupMs,
        ...(ctx.smoke ? { amount: rate } : {}),
        request: (i) => ({
          method: 'POST',
          path: `/u/${encodeURIComponent(seeded.tokens[i % seeded.tokens.length])}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }),
      });
    },
  });
  notes.push(
    'Each one-click POST changes state: the person’s history is read and evaluated outside the ledger lock, then the new record is chained, signed and appended with the others that arrived meanwhile (group commit: one transaction and one head lock for many). Repeats of the same link write nothing.',
    'What bounds it: per request the server verifies the link (HMAC), reads the person (two indexed queries), creates and signs a record plus its receipt (Ed25519 on node:crypto, in the calling thread), and renders the confirmation page; the group’s transaction then serialises on the ledger head lock with one COMMIT. CPU on two shared cores is the limit here.',
    'Where the time goes (2026-12-06, node --cpu-prof on the bench server, PGlite, 1,000 req/s offered, 132 answered at load ≈ 10): PGlite 42% of the server’s CPU (its wasm 27%, its JS 15.5%: the token’s subject lookup and the person’s history read, each one statement per request, and the group’s append transaction), signing the record and its receipt on WebCrypto’s thread pool and Node internals ≈ 25%, core 10% (canonical JSON and base64url of the records being signed), decoding the history’s stored JWS under 1%, the page about 2%. The append is already group-committed; what is left per request is its two reads and the signatures.',
    'The ledger now signs with a node:crypto key on the calling thread (platform/crypto/node-signer.ts), which removes the thread-pool hop measured above; the link’s HMAC is still core’s WebCrypto token codec. What would close the rest of the gap: the token HMAC on node:crypto, a smaller confirmation answer for RFC 8058 POSTs from mail providers (they ignore the body), and a quiet machine.',
  );
  return {
    method: `autocannon at a fixed ${rate} req/s (overallRate, 50 keep-alive connections, latencies corrected for coordinated omission) for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up at the same rate; ${people} distinct people, each with a form-submit record and a one-click link (scope unsubscribe:marketing); no rate limits on the bench server.`,
    figures,
    tables: [{ title: 'One-click unsubscribe under load (ms)', columns: FIXED_RATE_COLUMNS, rows }],
    notes,
    checks,
  };
}
