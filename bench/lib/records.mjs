// Signed records as clients send them: form submissions from many devices, each device's records
// chained by `prev`, each about a different person (a salted email commitment with its opening
// beside it), Ed25519 as the SDK's device signer prefers.
import { readFileSync } from 'node:fs';
import { core, POLICY_FILE } from './paths.mjs';

/**
 * The record every bench signs: an AllStream application form submission (implied consent for the
 * application, marketing left on), so all benches measure the same payload.
 * @param {{ policy: object, subject: object }} options
 */
export function applicationRecordInput({ policy, subject }) {
  return {
    subject,
    policy,
    decisions: [
      { purpose: 'application-processing', granted: true, basis: 'implied' },
      { purpose: 'marketing', granted: true, basis: 'opt-out' },
    ],
    method: 'form-submit',
    interaction: 'pointer',
    collectionPoint: { url: 'https://allstream.example/apply', form: 'application' },
    locale: 'en',
    jurisdiction: 'CA',
    gpc: false,
    prev: null,
  };
}

/**
 * @returns {Promise<Array<Array<{ jws: string, opening: object }>>>} one ordered list per device
 */
export async function signedRecordStreams({ streams, perStream, tag = 'x' }) {
  const c = await core();
  const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
  const template = await c.createRecord(applicationRecordInput({ policy, subject: { kind: 'device' } }));
  return Promise.all(
    Array.from({ length: streams }, async (_, s) => {
      const pair = await c.generateSigningKeyPair({ algorithm: 'EdDSA' });
      const signer = await c.createKeySigner({ privateKey: pair.privateKey, publicJwk: pair.publicJwk });
      const out = [];
      let prev = null;
      for (let i = 0; i < perStream; i++) {
        const { commitment, opening } = await c.createCommitment({
          identifier: `p${tag}-${s}-${i}-${Date.now()}@example.com`,
        });
        const record = {
          ...template,
          id: c.uuidv7(),
          issuedAt: new Date().toISOString(),
          subject: { kind: 'commitment', commitment },
          prev,
        };
        const signed = await c.signRecord({ record, signer });
        prev = signed.digest;
        out.push({ jws: signed.jws, opening: { ...opening, kind: 'email' } });
      }
      return out;
    }),
  );
}

/**
 * Posts each stream's records in order, `batch` per request, all streams at once. With `forMs`,
 * each client stops starting new requests once that long has passed (a time box: a slow server
 * costs seconds, not minutes); the rate is then what was accepted in the time it took.
 * @returns {Promise<{ seconds: number, accepted: number, sent: number, rejected: Record<string, number>, requests: number }>}
 */
export async function postStreams({ url, streams, batch, forMs = Number.POSITIVE_INFINITY }) {
  let accepted = 0;
  let sent = 0;
  let requests = 0;
  const rejected = {};
  const started = performance.now();
  const stopAt = started + forMs;
  await Promise.all(
    streams.map(async (records) => {
      for (let i = 0; i < records.length; i += batch) {
        if (performance.now() > stopAt) break;
        sent += Math.min(batch, records.length - i);
        const response = await fetch(`${url}/v1/records`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records: records.slice(i, i + batch) }),
        });
        requests++;
        if (!response.ok) {
          rejected[`http ${response.status}`] =
            (rejected[`http ${response.status}`] ?? 0) + Math.min(batch, records.length - i);
          await response.body?.cancel();
          continue;
        }
        const { results } = await response.json();
        for (const r of results) {
          if (r.status === 'accepted') accepted++;
          else rejected[r.code] = (rejected[r.code] ?? 0) + 1;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, accepted, sent, rejected, requests };
}
