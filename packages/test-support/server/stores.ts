import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPgliteStore } from '../../server/src/platform/store/pglite-store.js';
import { createPostgresStore } from '../../server/src/platform/store/postgres-store.js';
import type { Store, StoreKind } from '../../server/src/platform/store/store.js';

/**
 * Both stores for the same suite: in-memory PGlite, and a fresh database in the throwaway
 * PostgreSQL cluster `pnpm test` starts (CONSENTKIT_TEST_PG_URL). Without that variable this
 * throws: the PostgreSQL half must never be skipped silently.
 */
export type TestStore = { readonly store: Store; readonly url?: string; close(): Promise<void> };
export type StoreFactory = { readonly name: StoreKind; create(): Promise<TestStore> };

export function testPostgresUrl(): string {
  const url = process.env.CONSENTKIT_TEST_PG_URL;
  if (!url) {
    throw new Error(
      'CONSENTKIT_TEST_PG_URL is not set: run the server tests with `node scripts/test.mjs --node packages/server` ' +
        '(it starts a throwaway PostgreSQL) — the PostgreSQL half of the suite must not be skipped.',
    );
  }
  return url;
}

/** Creates an empty database in the test cluster; `drop` removes it (and its connections). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = testPostgresUrl();
  const name = `ck_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Where scripts/test.mjs (which names it too) leaves the data folder of one booted, empty PGlite. */
const PGLITE_TEMPLATE_ENV = 'CONSENTKIT_TEST_PGLITE_TEMPLATE';

// Booting PGlite (initdb in WebAssembly) costs about 3 s of CPU, and CI's two cores run a few
// hundred stores. A run boots one and every process starts its stores from a copy of its data
// folder (under a second); a file run alone boots one per process and dumps it.
let template: Promise<Blob> | undefined;
function templateData(): Promise<Blob> {
  template ??= (async () => {
    const file = process.env[PGLITE_TEMPLATE_ENV];
    // The 40 MB folder is read once per process, not once per store.
    if (file && existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await PGlite.create();
    try {
      return await db.dumpDataDir('none');
    } finally {
      await db.close();
    }
  })();
  return template;
}

/** A fresh, empty in-memory embedded store (on its own thread, as the server runs it): a separate database. */
export async function freshPgliteStore(): Promise<Store> {
  return createPgliteStore({ loadDataDir: await templateData() });
}

export function storeFactories(): StoreFactory[] {
  testPostgresUrl(); // fail at load time, loudly, not halfway through
  return [
    {
      name: 'pglite',
      async create() {
        const store = await freshPgliteStore();
        return { store, close: () => store.close() };
      },
    },
    {
      name: 'postgres',
      async create() {
        const db = await createTestDatabase();
        const store = createPostgresStore({ connectionString: db.url });
        return {
          store,
          url: db.url,
          async close() {
            await store.close();
            await db.drop();
          },
        };
      },
    },
  ];
}

/**
 * For a suite (registers its before and after hooks): a store of `factory`, and the store a second
 * server process on the same database would have, a pool of its own on PostgreSQL; on PGlite, whose
 * data folder one process holds, the same store. Read them inside tests.
 */
export function twoServerStores(factory: StoreFactory): { readonly first: Store; readonly second: Store } {
  let db: TestStore | undefined;
  let second: Store | undefined;
  before(async () => {
    db = await factory.create();
    second = db.url ? createPostgresStore({ connectionString: db.url }) : db.store;
  });
  after(async () => {
    if (second && second !== db?.store) await second.close();
    await db?.close();
  });
  const opened = (store: Store | undefined) => {
    if (!store) throw new Error('twoServerStores: read the stores inside a test, after its before hook');
    return store;
  };
  return {
    get first() {
      return opened(db?.store);
    },
    get second() {
      return opened(second);
    },
  };
}

/** A store whose raw data can be searched: PGlite's `dataDir` on disk; `drop` removes it all. */
export type DiskTestStore = { readonly store: Store; readonly dataDir?: string; drop(): Promise<void> };
export type DiskStoreTarget = { readonly name: string; create(): Promise<DiskTestStore> };

/**
 * Both stores for suites that look at what is left on disk: PGlite with its data folder in a
 * temp dir named from `tmpPrefix`, and a fresh database in the test cluster.
 */
export function onDiskStoreTargets(tmpPrefix: string): DiskStoreTarget[] {
  return [
    {
      name: 'pglite, data folder on disk',
      async create() {
        const dataDir = mkdtempSync(join(tmpdir(), tmpPrefix));
        const store = await createPgliteStore({ dataDir });
        return { store, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
      },
    },
    {
      name: 'postgres',
      async create() {
        const db = await createTestDatabase();
        return { store: createPostgresStore({ connectionString: db.url }), drop: () => db.drop() };
      },
    },
  ];
}
