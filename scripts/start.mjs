// `pnpm start`: the ledger, the hosted pages and the examples on the embedded PGlite store
// (./.consentkit/data), with the AllStream policy. Runs the server's TypeScript sources through
// tsx; only the widget's drop-in bundle and the /admin dashboard are built, on first run.
// The examples are not part of the server: this script serves them (start/examples-routes.mjs)
// and mounts the application form's handler, both as extra routes of the app; the handler attests
// the records it receives with a key kept in the data folder (start/demo-attest-key.mjs).
// Ctrl-C stops it cleanly (the store is closed before exit).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

/**
 * Runs a first-run build quietly: a newcomer sees one line, not every package's build log,
 * unless it fails, when the whole log is what they need.
 */
function buildOnce(what, args) {
  process.stdout.write(`pnpm start: building ${what} (first run only)… `);
  const started = Date.now();
  const build = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (build.status === 0) {
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return;
  }
  console.log('failed:');
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  process.exit(build.status ?? 1);
}

if (process.env.CONSENTKIT_START_CHILD !== '1') {
  // The examples and hosted pages load the widget's drop-in bundle: build it once if it is missing.
  if (!existsSync(join(root, 'packages/widget/dist/consentkit.js'))) {
    buildOnce('the widget bundle', [join(root, 'scripts/build.mjs')]);
  }
  // The /admin dashboard's bundle, likewise (only it, when the widget bundle is already there).
  if (!existsSync(join(root, 'packages/admin/dist/admin.js'))) {
    buildOnce('the /admin dashboard', [join(root, 'packages/admin/scripts/build.mjs')]);
  }
  // The server itself runs from its TypeScript sources: this script again, under tsx.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@consentkit/source', import.meta.filename, ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: root, env: { ...process.env, CONSENTKIT_START_CHILD: '1' } },
  );
  // Ctrl-C in a terminal reaches the child through the process group, so SIGINT is only noted here
  // (forwarding it would be a second Ctrl-C, which the server treats as "exit now"); SIGTERM from a
  // supervisor reaches only us, so it is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(signal ? 130 : (code ?? 1)));
} else {
  const source = (path) => import(pathToFileURL(join(root, path)).href);
  const { ConfigError, loadConfig, openServer, stopOnSignals } = await source('packages/server/src/index.ts');
  const { commandSocketStarter } = await source('packages/server/src/cli/consentkit.ts');
  const { createAttestor } = await source('packages/sdk/src/node.ts');
  const { examplesRoutes } = await import('./start/examples-routes.mjs');
  const { demoAttestKey } = await import('./start/demo-attest-key.mjs');
  const { APPLICATION_PATH, createApplicationHandler, handleApplication } = await source(
    'examples/application-form/handler.ts',
  );
  const env = {
    ...process.env,
    CONSENTKIT_POLICY: process.env.CONSENTKIT_POLICY ?? join(root, 'examples/policies/allstream.json'),
    CONSENTKIT_DATA_DIR: process.env.CONSENTKIT_DATA_DIR ?? join(root, '.consentkit/data'),
  };
  try {
    const config = loadConfig({ argv: process.argv.slice(2), env });
    // The application form's handler; once the ledger listens, the one that also attests.
    let handleForm = handleApplication;
    const opened = await openServer(config, {
      routes: [
        ...examplesRoutes({ dir: join(root, 'examples') }),
        { method: 'POST', path: APPLICATION_PATH, handler: (request) => handleForm(request) },
      ],
      // `pnpm consentkit …` beside this server runs inside it (PGlite allows one process per folder).
      commands: commandSocketStarter,
    });
    for (const warning of opened.warnings) opened.operations.logger.warn(warning);
    let server;
    let attest;
    try {
      // The demo form's backend vouches for what it receives, as a site's would (embedded store only).
      attest = config.databaseUrl
        ? { reason: 'on PostgreSQL `pnpm start` makes no key' }
        : await demoAttestKey({ store: opened.context.store, dataDir: config.dataDir });
      server = await opened.listen();
    } catch (error) {
      await opened.close().catch(() => {});
      throw error;
    }
    if (attest.key) {
      handleForm = createApplicationHandler({
        attestor: createAttestor({ ledgerUrl: server.url, apiKey: attest.key }),
      });
    }
    console.log(`  examples      ${server.url}/examples/`);
    console.log(
      attest.key
        ? `  the application form's backend attests its records (API key of scope attest in ${attest.file})`
        : `  the application form's backend attests nothing (${attest.reason}): its express grants stay pending`,
    );
    console.log('  unsubscribe link for an address: pnpm consentkit link --email you@example.com --purpose marketing');
    console.log('  Ctrl-C stops the server.');
    stopOnSignals(server);
  } catch (error) {
    // ConsentKit's own errors (ConfigError, a locked data folder…) already read `[consentkit] …`.
    const message = String(error?.message ?? error);
    console.error(
      error instanceof ConfigError || message.startsWith('[consentkit]')
        ? message
        : `[consentkit] pnpm start: ${message}`,
    );
    process.exit(1);
  }
}
