import { createHmac } from 'node:crypto';
import {
  ConsentError,
  generateSigningKeyPair,
  type PublicJwk,
  type Signer,
  type SigningAlgorithm,
} from '@consentkit/core';
import type { Queryable, Store } from '../store/store.js';
import { type CryptoBox, createCryptoBox } from './crypto-box.js';
import { createNodeSigner } from './node-signer.js';

/**
 * The ledger's keys, created on first start and kept in the `keys` table sealed under the master
 * key. `signing` and `token` rotate (old ones stay to verify); `blind-index` and `opening` do not,
 * because rotating them would orphan every stored index and opening. `csrf` signs the preference
 * form's hidden field, shared by every instance so a form served by one posts to any other.
 * `checkpoint` is always Ed25519 (whatever `signing` uses): it signs the transparency log's
 * checkpoint notes (C2SP signed-note), made on first start after an upgrade as well.
 */
export type KeyPurpose = 'signing' | 'token' | 'blind-index' | 'opening' | 'csrf' | 'checkpoint';
export type KeyStatus = 'active' | 'retired';

export type KeyInfo = {
  readonly kid: string;
  readonly purpose: KeyPurpose;
  readonly algorithm: string;
  readonly status: KeyStatus;
  readonly createdAt: string;
};

export type Keyring = {
  /** The current ledger signer (receipts, checkpoints, server-made records). */
  readonly signer: Signer;
  readonly algorithms: readonly SigningAlgorithm[];
  /** Every signing key ever used, for the JWKS and for `verify`; read live so rotations show. */
  publicJwks(): Promise<Array<PublicJwk & { kid: string; alg: string; use: 'sig' }>>;
  /** HMAC keys for the unsubscribe-token codec. */
  readonly tokenKeys: { readonly keys: Record<string, Uint8Array>; readonly currentKid: string };
  /** HMAC-SHA-256 of a normalised identifier: lookups without storing the identifier. */
  blindIndex(normalisedIdentifier: string): Promise<string>;
  readonly openingBox: { readonly kid: string; readonly box: CryptoBox };
  readonly csrfKey: Uint8Array;
  /** The Ed25519 key that signs checkpoint notes, and its raw 32-byte public key. */
  readonly checkpoint: { readonly signer: Signer; readonly publicKey: Uint8Array };
  /** Every checkpoint key's raw public key (newest first), for `verify`. */
  checkpointKeys(): Promise<Uint8Array[]>;
  list(): Promise<KeyInfo[]>;
};

export type KeyringOptions = {
  readonly store: Store;
  /** 32 bytes: seals every secret in the `keys` table. */
  readonly masterKey: Uint8Array;
  readonly algorithm?: 'auto' | SigningAlgorithm;
};

type KeyRow = {
  kid: string;
  purpose: KeyPurpose;
  algorithm: string;
  status: KeyStatus;
  created_at: string;
  public_jwk: string | null;
  sealed: string;
};

const randomKid = () => Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('base64url');

async function insertKey(tx: Queryable, master: CryptoBox, key: Omit<KeyRow, 'sealed'>, secret: Uint8Array) {
  const sealed = await master.seal(secret, `key:${key.kid}`);
  await tx.query(
    'INSERT INTO keys (kid, purpose, algorithm, status, created_at, public_jwk, sealed) VALUES ($1,$2,$3,$4,$5,$6,$7)',
    [key.kid, key.purpose, key.algorithm, key.status, key.created_at, key.public_jwk, sealed],
  );
}

async function createKey(
  tx: Queryable,
  master: CryptoBox,
  purpose: KeyPurpose,
  algorithm: 'auto' | SigningAlgorithm,
): Promise<void> {
  const created_at = new Date().toISOString();
  if (purpose === 'signing' || purpose === 'checkpoint') {
    const pair = await generateSigningKeyPair({
      algorithm: purpose === 'checkpoint' ? 'EdDSA' : algorithm,
      extractable: true,
    });
    const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const secret = new TextEncoder().encode(JSON.stringify(privateJwk));
    const row = {
      kid: pair.kid,
      purpose,
      algorithm: pair.algorithm,
      status: 'active' as const,
      created_at,
      public_jwk: JSON.stringify(pair.publicJwk),
    };
    await insertKey(tx, master, row, secret);
    return;
  }
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const row = {
    kid: randomKid(),
    purpose,
    algorithm: 'HS256',
    status: 'active' as const,
    created_at,
    public_jwk: null,
  };
  await insertKey(tx, master, row, secret);
}

const PURPOSES: readonly KeyPurpose[] = ['signing', 'token', 'blind-index', 'opening', 'csrf', 'checkpoint'];

/** Creates whatever key is missing; the head-row lock keeps two first starts from both creating. */
export async function ensureKeys(options: KeyringOptions): Promise<void> {
  const master = createCryptoBox({ key: options.masterKey });
  await options.store.transaction(async (tx) => {
    await tx.query('SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE');
    for (const purpose of PURPOSES) {
      const active = await tx.query('SELECT kid FROM keys WHERE purpose = $1 AND status = $2', [purpose, 'active']);
      if (active.length === 0) await createKey(tx, master, purpose, options.algorithm ?? 'auto');
    }
  });
}

/** Retires the active signing and token keys and makes new ones (old ones keep verifying). */
export async function rotateKeys(options: KeyringOptions & { readonly purposes?: readonly ('signing' | 'token')[] }) {
  const master = createCryptoBox({ key: options.masterKey });
  await options.store.transaction(async (tx) => {
    await tx.query('SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE');
    for (const purpose of options.purposes ?? (['signing', 'token'] as const)) {
      await tx.query('UPDATE keys SET status = $1 WHERE purpose = $2 AND status = $3', ['retired', purpose, 'active']);
      await createKey(tx, master, purpose, options.algorithm ?? 'auto');
    }
  });
}

async function openSecret(master: CryptoBox, row: KeyRow): Promise<Uint8Array> {
  try {
    return await master.open(row.sealed, `key:${row.kid}`);
  } catch (cause) {
    throw new ConsentError(
      'invalid-key',
      `cannot decrypt ledger key ${row.kid}: CONSENTKIT_MASTER_KEY is not the key these were sealed with`,
      { cause, hint: 'Start the server with the master key this database was created with.' },
    );
  }
}

async function signerOf(master: CryptoBox, row: KeyRow): Promise<Signer> {
  const privateJwk: unknown = JSON.parse(new TextDecoder().decode(await openSecret(master, row)));
  const publicJwk = JSON.parse(row.public_jwk ?? 'null') as PublicJwk;
  return createNodeSigner({ privateJwk: privateJwk as JsonWebKey, publicJwk });
}

/**
 * HMAC-SHA-256 of an identifier under the blind-index key, hex. node:crypto, synchronous: it runs
 * on every record ingested and every lookup, and WebCrypto's HMAC waited for a pool thread
 * (keyring.node.test.ts checks it against WebCrypto's over 10,000 identifiers).
 */
export function blindIndexOf(key: Uint8Array, identifier: string): string {
  return createHmac('sha256', key).update(identifier, 'utf8').digest('hex');
}

/** The 32 raw bytes of an Ed25519 public JWK (what a note verifier key carries). */
function rawEd25519(jwk: PublicJwk): Uint8Array {
  if (jwk.kty !== 'OKP') throw new ConsentError('invalid-key', 'a checkpoint key must be Ed25519');
  return Buffer.from(jwk.x, 'base64url');
}

/** Loads (creating on first start) the keys and returns the ready keyring. */
export async function createKeyring(options: KeyringOptions): Promise<Keyring> {
  await ensureKeys(options);
  const master = createCryptoBox({ key: options.masterKey });
  const rows = await options.store.query<KeyRow>('SELECT * FROM keys ORDER BY created_at, kid');
  const activeRow = (purpose: KeyPurpose) => {
    const row = rows.filter((r) => r.purpose === purpose && r.status === 'active').at(-1);
    if (!row) throw new ConsentError('storage', `no active ${purpose} key in the keys table`);
    return row;
  };

  const signer = await signerOf(master, activeRow('signing'));
  const checkpoint = await signerOf(master, activeRow('checkpoint'));

  const tokenKeys: Record<string, Uint8Array> = {};
  for (const row of rows.filter((r) => r.purpose === 'token')) tokenKeys[row.kid] = await openSecret(master, row);

  const indexKey = await openSecret(master, activeRow('blind-index'));
  const openingRow = activeRow('opening');
  const openingBox = { kid: openingRow.kid, box: createCryptoBox({ key: await openSecret(master, openingRow) }) };

  return {
    signer,
    algorithms: ['ES256', 'EdDSA'],
    async publicJwks() {
      const all = await options.store.query<KeyRow>(
        "SELECT * FROM keys WHERE purpose = 'signing' ORDER BY created_at DESC, kid",
      );
      return all.map((row) => ({
        ...(JSON.parse(row.public_jwk ?? '{}') as PublicJwk),
        kid: row.kid,
        alg: row.algorithm,
        use: 'sig' as const,
      }));
    },
    tokenKeys: { keys: tokenKeys, currentKid: activeRow('token').kid },
    async blindIndex(identifier) {
      return blindIndexOf(indexKey, identifier);
    },
    openingBox,
    csrfKey: await openSecret(master, activeRow('csrf')),
    checkpoint: { signer: checkpoint, publicKey: rawEd25519(checkpoint.publicJwk) },
    async checkpointKeys() {
      const all = await options.store.query<KeyRow>(
        "SELECT * FROM keys WHERE purpose = 'checkpoint' ORDER BY created_at DESC, kid",
      );
      return all.map((row) => rawEd25519(JSON.parse(row.public_jwk ?? '{}') as PublicJwk));
    },
    async list() {
      const all = await options.store.query<KeyRow>('SELECT * FROM keys ORDER BY created_at, kid');
      return all.map((r) => ({
        kid: r.kid,
        purpose: r.purpose,
        algorithm: r.algorithm,
        status: r.status,
        createdAt: r.created_at,
      }));
    },
  };
}
