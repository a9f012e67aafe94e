import { signedRecordStreams } from './lib/records.mjs';
import { startBenchServer } from './lib/server.mjs';

const [stream] = await signedRecordStreams({ streams: 1, perStream: 400 });
process.env.NODE_OPTIONS = '--cpu-prof --cpu-prof-dir=/tmp/prof-ingest';
const server = await startBenchServer({ store: process.argv[2] ?? 'pglite' });
delete process.env.NODE_OPTIONS;
const times = [];
for (const [i, r] of stream.entries()) {
  const t = performance.now();
  const res = await fetch(`${server.url}/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ records: [r] }),
  });
  const body = await res.json();
  if (i >= 50) times.push(performance.now() - t);
  if (body.results?.[0]?.status !== 'accepted') {
    console.log(JSON.stringify(body));
    break;
  }
}
times.sort((a, b) => a - b);
console.log(
  'n',
  times.length,
  'p50',
  times[times.length >> 1].toFixed(2),
  'p90',
  times[Math.floor(times.length * 0.9)].toFixed(2),
);
await server.stop();
