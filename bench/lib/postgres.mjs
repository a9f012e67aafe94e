// One PostgreSQL for the whole run, started on first use: the throwaway cluster the tests use
// (scripts/testing/postgres.mjs), or the one `pnpm test` already started when the smoke test runs
// inside it (CONSENTKIT_TEST_PG_URL), so the smoke does not pay for a second initdb. Each bench
// gets its own database, dropped afterwards.
import { startThrowawayPostgres } from '../../scripts/testing/postgres.mjs';
import { importFrom } from './paths.mjs';

let cluster;

async function adminUrl() {
  if (process.env.CONSENTKIT_TEST_PG_URL) return process.env.CONSENTKIT_TEST_PG_URL;
  cluster ??= startThrowawayPostgres();
  return (await cluster).url;
}

export async function createDatabase(prefix = 'ck_bench') {
  const { default: pg } = await importFrom('packages/server', 'pg');
  const admin = await adminUrl();
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const run = async (sql) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * The throwaway cluster's postmaster, when this run started one (not when it uses the cluster
 * `pnpm test` started): its CPU and its backends' is PostgreSQL's share of a run.
 */
export async function postgresPid() {
  const started = await cluster?.catch(() => undefined);
  return started?.pid ?? null;
}

export async function stopPostgres() {
  if (!cluster) return;
  const started = await cluster.catch(() => undefined);
  cluster = undefined;
  await started?.stop();
}
