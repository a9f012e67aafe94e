// Fills a ledger fast with entries that are exactly what the server would have written: signed
// records (each device key's `prev` chain intact), the hash chain, receipts and checkpoints signed
// with the ledger's own key, subjects for the records to belong to. `consentkit verify` must
// accept the result, so the verify and growth benches walk a real ledger, not a mock.
//
// Why not go through POST /v1/records: at the ingest rate this server reaches, a million entries
// would take longer than the whole benchmark budget. Signing here uses node:crypto in worker
// threads (sign-worker.mjs; no WebCrypto promise per signature) and rows go in with multi-row
// INSERTs while the next chunk is being made.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { core, src } from './paths.mjs';
import { applicationRecordInput } from './records.mjs';

const b64 = (buf) => Buffer.from(buf).toString('base64url');
const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

/** Per-process generator state: the device keys and where each one's chain stands. */
const devices = [];
const DEVICES = 16;

async function deviceKeys() {
  const { jwkThumbprint } = await core();
  while (devices.length < DEVICES) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { kty, crv, x } = publicKey.export({ format: 'jwk' });
    const jwk = { kty, crv, x };
    const kid = await jwkThumbprint(jwk);
    const header = b64(JSON.stringify({ alg: 'EdDSA', kid, typ: 'consent-record+jws', jwk }));
    devices.push({ kid, header, privateJwk: privateKey.export({ format: 'jwk' }), last: null });
  }
  return devices;
}

/** Signing workers holding [ledger key, device keys…]; `sign(jobs)` spreads a chunk over them. */
let pool;
function signingPool(ledgerKeyJwk, ledgerAlgorithm) {
  if (pool?.ledgerKeyJwk === ledgerKeyJwk) return pool;
  const keys = [
    { jwk: JSON.parse(ledgerKeyJwk), algorithm: ledgerAlgorithm },
    ...devices.map((d) => ({ jwk: d.privateJwk, algorithm: 'EdDSA' })),
  ];
  const workers = Array.from(
    { length: Math.max(1, Math.min(4, availableParallelism())) },
    () => new Worker(new URL('./sign-worker.mjs', import.meta.url), { workerData: { keys } }),
  );
  for (const w of workers) w.unref();
  let nextId = 0;
  const call = (worker, jobs) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (message) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message.out);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ id, jobs });
    });
  pool = {
    ledgerKeyJwk,
    /** @param {Array<number | string>} jobs [keyIndex, signingInput, …] → base64url signatures */
    async sign(jobs) {
      const pairs = jobs.length / 2;
      const per = Math.ceil(pairs / workers.length);
      const parts = await Promise.all(
        workers.map((w, i) => (i * per < pairs ? call(w, jobs.slice(i * per * 2, (i + 1) * per * 2)) : [])),
      );
      return parts.flat();
    },
  };
  return pool;
}

/** The ledger's active signing key, opened with the master key the bench server was given. */
async function ledgerKey(store, masterKey) {
  const { createCryptoBox } = await import(src('packages/server/src/platform/crypto/crypto-box.ts'));
  const [row] = await store.query(
    "SELECT kid, algorithm, sealed FROM keys WHERE purpose = 'signing' AND status = 'active' ORDER BY created_at DESC LIMIT 1",
  );
  const box = createCryptoBox({ key: masterKey });
  const jwk = JSON.parse(new TextDecoder().decode(await box.open(row.sealed, `key:${row.kid}`)));
  return { kid: row.kid, algorithm: row.algorithm, jwk };
}

const ENTRY_COLUMNS = [
  ['seq', 'bigint'],
  ['record_id', 'text'],
  ['kid', 'text'],
  ['digest', 'text'],
  ['jws', 'text'],
  ['subject_ref', 'text'],
  ['received_at', 'text'],
  ['prev_hash', 'text'],
  ['entry_hash', 'text'],
  ['receipt', 'text'],
  ['assurance', 'text'],
  ['entry_version', 'smallint'],
];
// The records name their subject by ref, which ingest takes only from a caller with an API key:
// entries a site's backend posted (`site`), in the current entry version (docs/ledger-entry.md).
const ASSURANCE = 'site';
const ENTRY_VERSION = 2;
const unnestInsert = (table, columns) =>
  `INSERT INTO ${table} (${columns.map(([c]) => c).join(', ')}) SELECT * FROM unnest(${columns
    .map(([, t], i) => `$${i + 1}::${t}[]`)
    .join(', ')})`;

/** Signs the head's tree as it stands (size, right edge): what `appendMany` ends with. */
export async function signHead(store, checkpointKey) {
  const { rootOf } = await import(src('packages/server/src/ledger/merkle.ts'));
  const { signCheckpointNote } = await import(src('packages/server/src/ledger/checkpoint-note.ts'));
  const [head] = await store.query('SELECT tree_size, frontier, origin FROM ledger_head WHERE id = 1');
  const frontier = JSON.parse(head.frontier).map((h) => Buffer.from(h, 'base64'));
  const note = await signCheckpointNote(checkpointKey.signer, checkpointKey.publicKey, {
    origin: head.origin,
    size: Number(head.tree_size),
    root: rootOf(frontier),
  });
  await store.query('UPDATE ledger_head SET checkpoint = $1 WHERE id = 1', [note]);
}

/**
 * Appends `count` entries after the current head, two records per new subject.
 * @returns {Promise<{ subjectRefs: string[], seconds: number, treeGrown: boolean }>} the subjects it
 *   created; `treeGrown` when the head's tree (size, right edge) was grown with the entries, so
 *   only its note needs signing (`signHead`), else the ledger must be sealed.
 */
export async function appendGeneratedEntries({ store, policy, masterKey, count, checkpointEvery = 100, chunk = 2000 }) {
  const started = performance.now();
  const { canonicalize, createRecord, uuidv7 } = await core();
  const ledger = await ledgerKey(store, masterKey);
  const receiptHeader = b64(JSON.stringify({ alg: ledger.algorithm, kid: ledger.kid, typ: 'consent-receipt+jws' }));
  const checkpointHeader = b64(
    JSON.stringify({ alg: ledger.algorithm, kid: ledger.kid, typ: 'consent-checkpoint+jws' }),
  );
  const devs = await deviceKeys();
  const signer = signingPool(JSON.stringify(ledger.jwk), ledger.algorithm);
  const template = await createRecord(
    applicationRecordInput({ policy, subject: { kind: 'ref', ref: '00000000-0000-7000-8000-000000000000' } }),
  );

  const { leafHash, pushLeaf } = await import(src('packages/server/src/ledger/merkle.ts'));
  const [head] = await store.query('SELECT seq, entry_hash, tree_size, frontier FROM ledger_head WHERE id = 1');
  let seq = Number(head.seq);
  let prevHash = head.entry_hash;
  // The Merkle tree's right edge grows with the chain, as the append path grows it (the leaf input
  // is the entry hash's input), when the head's tree covers its entries; else the caller seals.
  const frontier =
    Number(head.tree_size) === seq ? JSON.parse(head.frontier).map((h) => Buffer.from(h, 'base64')) : undefined;
  const subjectRefs = [];
  let subjectRef;
  let inserting = Promise.resolve();

  for (let done = 0; done < count; ) {
    const n = Math.min(chunk, count - done);
    const cols = ENTRY_COLUMNS.map(() => []);
    const subjects = [[], [], []];
    const checkpoints = [[], [], [], []];
    // 1. Records, their digests and each device's prev chain (sequential, cheap).
    const items = new Array(n);
    for (let i = 0; i < n; i++) {
      seq++;
      if ((done + i) % 2 === 0) {
        subjectRef = uuidv7();
        subjectRefs.push(subjectRef);
        subjects[0].push(subjectRef);
        subjects[1].push(randomBytes(32).toString('hex'));
        subjects[2].push(new Date().toISOString());
      }
      const d = seq % devs.length;
      const device = devs[d];
      const now = new Date().toISOString();
      const record = {
        ...template,
        id: uuidv7(),
        issuedAt: now,
        subject: { kind: 'ref', ref: subjectRef },
        prev: device.last,
      };
      const payload = canonicalize(record);
      const digest = sha256Hex(payload);
      device.last = digest;
      items[i] = {
        seq,
        id: record.id,
        key: d + 1,
        kid: device.kid,
        digest,
        subjectRef,
        now,
        input: `${device.header}.${b64(payload)}`,
      };
    }
    // 2. Record signatures, on the workers.
    const recordSigs = await signer.sign(items.flatMap((it) => [it.key, it.input]));
    // 3. The hash chain (sequential), then receipts and checkpoints over it, on the workers.
    const ledgerJobs = [];
    for (let i = 0; i < n; i++) {
      const it = items[i];
      it.jws = `${it.input}.${recordSigs[i]}`;
      const entry = {
        seq: it.seq,
        recordId: it.id,
        kid: it.kid,
        digest: it.digest,
        jws: it.jws,
        subjectRef: it.subjectRef,
        receivedAt: it.now,
        prevHash,
        assurance: ASSURANCE,
        v: ENTRY_VERSION,
      };
      it.prevHash = prevHash;
      const input = Buffer.concat([Buffer.from(prevHash, 'hex'), Buffer.from(canonicalize(entry), 'utf8')]);
      it.entryHash = sha256Hex(input);
      if (frontier) pushLeaf(frontier, it.seq - 1, leafHash(input));
      ledgerJobs.push(
        0,
        `${receiptHeader}.${b64(canonicalize({ recordId: it.id, digest: it.digest, seq: it.seq, receivedAt: it.now, entryHash: it.entryHash }))}`,
      );
      if (it.seq % checkpointEvery === 0) {
        checkpoints[0].push(it.seq);
        checkpoints[1].push(it.entryHash);
        checkpoints[2].push(it.now);
        ledgerJobs.push(
          0,
          `${checkpointHeader}.${b64(canonicalize({ seq: it.seq, entryHash: it.entryHash, signedAt: it.now }))}`,
        );
      }
      prevHash = it.entryHash;
    }
    const ledgerSigs = await signer.sign(ledgerJobs);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const it = items[i];
      const receipt = `${ledgerJobs[k * 2 + 1]}.${ledgerSigs[k]}`;
      k++;
      const row = [
        it.seq,
        it.id,
        it.kid,
        it.digest,
        it.jws,
        it.subjectRef,
        it.now,
        it.prevHash,
        it.entryHash,
        receipt,
        ASSURANCE,
        ENTRY_VERSION,
      ];
      for (let c = 0; c < row.length; c++) cols[c].push(row[c]);
      if (it.seq % checkpointEvery === 0) {
        checkpoints[3].push(`${ledgerJobs[k * 2 + 1]}.${ledgerSigs[k]}`);
        k++;
      }
    }
    done += n;
    // The next chunk is signed while this one is written: PostgreSQL works in its own process.
    await inserting;
    const headSeq = seq;
    const headHash = prevHash;
    const headFrontier = frontier && JSON.stringify(frontier.map((h) => h.toString('base64')));
    inserting = store.transaction(async (tx) => {
      await tx.query(
        unnestInsert('subjects', [
          ['ref', 'text'],
          ['blind_index', 'text'],
          ['created_at', 'text'],
        ]),
        subjects,
      );
      await tx.query(unnestInsert('ledger_entries', ENTRY_COLUMNS), cols);
      if (checkpoints[0].length > 0) {
        await tx.query(
          unnestInsert('checkpoints', [
            ['seq', 'bigint'],
            ['entry_hash', 'text'],
            ['signed_at', 'text'],
            ['jws', 'text'],
          ]),
          checkpoints,
        );
      }
      // The head's signed note is left for the caller (`signHead`) to replace: it signs the new
      // size once, not once per chunk.
      if (headFrontier)
        await tx.query('UPDATE ledger_head SET seq = $1, entry_hash = $2, tree_size = $1, frontier = $3 WHERE id = 1', [
          headSeq,
          headHash,
          headFrontier,
        ]);
      else await tx.query('UPDATE ledger_head SET seq = $1, entry_hash = $2 WHERE id = 1', [headSeq, headHash]);
    });
  }
  await inserting;
  return { subjectRefs, seconds: (performance.now() - started) / 1000, treeGrown: frontier !== undefined };
}
