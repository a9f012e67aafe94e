// A signing worker for the ledger generator: signs JWS signing inputs with the keys it was given
// (node:crypto, synchronous inside the worker), so both cores sign while the main thread hashes
// the chain and PostgreSQL writes.
import { createPrivateKey, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const keys = workerData.keys.map(({ jwk, algorithm }) => {
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  return algorithm === 'ES256'
    ? (data) => sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
    : (data) => sign(null, data, key);
});

parentPort.on('message', ({ id, jobs }) => {
  // jobs: [keyIndex, signingInput, keyIndex, signingInput, …]
  const out = new Array(jobs.length / 2);
  for (let i = 0; i < jobs.length; i += 2) out[i / 2] = keys[jobs[i]](Buffer.from(jobs[i + 1])).toString('base64url');
  parentPort.postMessage({ id, out });
});
