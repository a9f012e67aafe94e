import type { Command } from '../cli/command.js';
import { loadConfig } from './config.js';
import { startServer, stopOnSignals } from './server.js';

/** `consentkit serve`: the server on its port until Ctrl-C or SIGTERM. */
export const serveCommand: Command = {
  summary: 'run the ledger server (API, hosted pages)',
  usage: 'consentkit serve [config flags]',
  async run(argv, io) {
    const config = loadConfig({ argv });
    const server = await startServer(config, { log: io.out });
    if (config.logFormat === 'pretty') {
      io.out('  unsubscribe link for an address: pnpm consentkit link --email you@example.com --purpose marketing');
      io.out('  Ctrl-C stops the server.');
    }
    stopOnSignals(server);
    await new Promise(() => {}); // runs until a signal stops the process
    return 0;
  },
};
