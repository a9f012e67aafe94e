// The benches, in run order: the cheap ones first, the million-entry ledger last (verify reuses
// the ledger growth built). Shared by the runner and the smoke test.
export const BENCHES = [
  { name: 'sizes', title: 'Bundle sizes', module: './sizes.mjs' },
  { name: 'crypto', title: 'Core: signing, verification, JCS (Node)', module: './crypto.mjs' },
  { name: 'startup', title: 'Widget start-up (Chromium, CPU 4× throttled)', module: './startup.mjs' },
  {
    name: 'interactions',
    title: 'Interactions on a form with the drop-in (Chromium, CPU 4× throttled)',
    module: './interactions.mjs',
  },
  { name: 'capture', title: 'Capture → receipt (browser → local ledger)', module: './capture.mjs' },
  { name: 'ingest', title: 'Ledger ingest', module: './ingest.mjs' },
  { name: 'unsubscribe', title: 'One-click unsubscribe at 1,000 req/s', module: './unsubscribe.mjs' },
  { name: 'state', title: 'State query at 1,000 req/s', module: './state.mjs' },
  { name: 'senders', title: 'Bulk "may we?" (POST /v1/senders/state, batches of 1,000)', module: './senders.mjs' },
  { name: 'growth', title: 'Growth: 10k / 100k / 1M stored records', module: './growth.mjs' },
  { name: 'verify', title: '`consentkit verify` over a 1,000,000-entry ledger', module: './verify.mjs' },
  {
    name: 'transparency',
    title: 'Transparency log: root recomputation and inclusion proofs at 200 req/s (1,000,000 entries)',
    module: './transparency.mjs',
  },
];
