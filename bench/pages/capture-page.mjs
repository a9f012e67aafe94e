// The capture bench page: the SDK as a site would use it (HTTP backend to the ledger, the default
// device signer and IndexedDB outbox), plus a signing loop for signatures per second. Bundled
// for the browser by bench/lib/bundles.mjs; the bench drives it through window.bench.
import {
  canonicalize,
  createKeySigner,
  createRecord,
  generateSigningKeyPair,
  signRecord,
} from '../../packages/core/src/index.ts';
import { createConsentClient, createHttpBackend } from '../../packages/sdk/src/index.ts';

async function captureLatencies({ count, warmup, forMs = Number.POSITIVE_INFINITY }) {
  const client = createConsentClient({
    backend: createHttpBackend({ url: location.origin }),
    policyUrl: `${location.origin}/v1/policy`,
    jurisdiction: 'CA',
  });
  await client.ready;
  // Resource Timing of each POST /v1/records: the network + server share of a capture.
  performance.setResourceTimingBufferSize(100_000);
  performance.clearResourceTimings();
  const latencies = [];
  const statuses = {};
  let measureFrom = Number.POSITIVE_INFINITY;
  for (let i = 0; i < warmup + count; i++) {
    if (i === warmup) measureFrom = performance.now();
    if (performance.now() - measureFrom > forMs) break; // time box on a slow machine
    const started = performance.now();
    const result = await client.capture({
      decisions: [
        { purpose: 'application-processing', granted: true, basis: 'implied' },
        { purpose: 'marketing', granted: i % 2 === 0, basis: 'opt-out', interaction: 'pointer' },
      ],
      method: 'form-submit',
      interaction: 'pointer',
      identifier: `person-${Date.now()}-${i}@example.com`,
      collectionPoint: { form: 'application' },
    });
    const elapsed = performance.now() - started;
    if (i >= warmup) {
      latencies.push(elapsed);
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    }
  }
  await client.close?.();
  const posts = performance
    .getEntriesByType('resource')
    .filter((e) => e.name.endsWith('/v1/records'))
    .map((e) => e.duration);
  return { latencies, statuses, posts: posts.slice(-latencies.length) };
}

async function signaturesPerSecond({ algorithm, ms, concurrency }) {
  const pair = await generateSigningKeyPair({ algorithm });
  const signer = await createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
  const policy = await (await fetch(`${location.origin}/v1/policy`)).json();
  const record = await createRecord({
    subject: { kind: 'device' },
    policy: policy.policy ?? policy,
    decisions: [{ purpose: 'marketing', granted: true, basis: 'opt-out' }],
    method: 'checkbox',
    interaction: 'pointer',
    collectionPoint: { url: location.href },
    locale: 'en',
    gpc: false,
    prev: null,
  });
  canonicalize(record);
  let count = 0;
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await signRecord({ record, signer });
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

window.bench = { captureLatencies, signaturesPerSecond };
window.benchReady = true;
