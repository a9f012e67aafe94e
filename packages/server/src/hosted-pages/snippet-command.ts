import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliUsageError, splitArgs } from '../cli/args.js';
import { type Command, currentRunningServer } from '../cli/command.js';
import { ServerError } from '../platform/server-error.js';
import { loadConfig, publicUrlOf } from '../runtime/config.js';
import { DROP_IN_ENTRY, resolveWidgetDist, subresourceIntegrity, WIDGET_ASSETS_PATH } from './widget-assets.js';

/** The drop-in this ledger would serve under /assets has not been built. */
export class DropInNotBuiltError extends ServerError<'drop-in-not-built'> {
  override readonly name = 'DropInNotBuiltError';
  constructor(file: string) {
    super('drop-in-not-built', `the drop-in ${file} has not been built`, {
      hint: 'Run `pnpm build` (or `pnpm start`, which builds it), then ask again.',
    });
  }
}

export type DropInSnippet = {
  /** The ledger's origin the page loads the drop-in from and sends records to. */
  readonly ledger: string;
  readonly src: string;
  /** Subresource Integrity of the entry as served now (sha384); changes with every widget build. */
  readonly integrity: string;
  /** The two tags, ready to paste into the site's page. */
  readonly html: string;
};

/** The one-tag snippet for a site on another origin, with the SRI value of the entry this ledger serves. */
export function dropInSnippet(ledger: string, dir = resolveWidgetDist()): DropInSnippet {
  const file = join(dir ?? 'packages/widget/dist', DROP_IN_ENTRY);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new DropInNotBuiltError(file);
  }
  const src = `${ledger}${WIDGET_ASSETS_PATH}/${DROP_IN_ENTRY}`;
  const integrity = subresourceIntegrity(bytes);
  return {
    ledger,
    src,
    integrity,
    html: [
      `<script type="module" src="${src}" integrity="${integrity}" crossorigin="anonymous"></script>`,
      `<consent-config endpoint="${ledger}"></consent-config>`,
    ].join('\n'),
  };
}

/** `consentkit snippet`: the drop-in's tags for another site, with the integrity hash of this build. */
export const snippetCommand: Command = {
  summary: 'print the drop-in tags for a site on another origin, with the SRI hash of the build this ledger serves',
  usage: 'consentkit snippet [--json]',
  options: [['--json', 'the ledger, src, integrity and html as JSON']],
  async run(argv, io) {
    const { options, positionals, rest } = splitArgs(argv, { json: 'boolean' });
    if (positionals.length > 0)
      throw new CliUsageError(`consentkit snippet takes no arguments: ${positionals.join(' ')}`);
    // Inside a running server (the command came over its socket), its real address; else the
    // configured one (PUBLIC_URL, else the listener the configuration names).
    const config = loadConfig({ argv: rest });
    const snippet = dropInSnippet(currentRunningServer()?.publicUrl ?? publicUrlOf(config));
    if (options.json) {
      io.out(JSON.stringify(snippet, null, 2));
      return 0;
    }
    io.out(snippet.html);
    io.err(
      [
        '',
        `The integrity value is the SHA-384 of ${snippet.src} as this build serves it: it changes with every`,
        'build of the widget, so run this command again after an upgrade (a stale value stops the script loading).',
        'It covers consentkit.js only; the chunks it imports lazily (the record path, <consent-notice>, <consent-preferences>, other languages, the diagnosis of a failed fetch) are not checked by it.',
        `Your site's origin must be listed in the ledger's CONSENTKIT_CORS_ORIGINS${
          config.corsOrigins.length > 0 ? ` (now: ${config.corsOrigins.join(', ')})` : ' (now empty)'
        }, or its records are refused.`,
      ].join('\n'),
    );
    return 0;
  },
};
