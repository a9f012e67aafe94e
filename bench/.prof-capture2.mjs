import { signedRecordStreams } from './lib/records.mjs';
import { startBenchServer } from './lib/server.mjs';

const [stream] = await signedRecordStreams({ streams: 1, perStream: 200 });
for (const store of ['pglite']) {
  const server = await startBenchServer({ store, profile: true });
  const post = (r) =>
    fetch(`${server.url}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records: [r] }),
    }).then((x) => x.json());
  for (const r of stream.slice(0, 50)) await post(r);
  await server.call('/__bench/profile', {});
  const t = performance.now();
  for (const r of stream.slice(50)) await post(r);
  const wall = performance.now() - t;
  const p = await server.call('/__bench/profile');
  console.log(
    store,
    'per record ms: wall',
    (wall / 150).toFixed(2),
    Object.entries(p)
      .map(([k, v]) => `${k} ${k === 'dbCalls' ? (v / 150).toFixed(1) : (v / 150).toFixed(2)}`)
      .join(', '),
  );
  await server.stop();
}
