import { ServerError } from '../platform/server-error.js';

/** A command line the command cannot act on: a missing or malformed flag or argument (exit 1). */
export class CliUsageError extends ServerError<'invalid-arguments'> {
  override readonly name = 'CliUsageError';
  constructor(detail: string) {
    super('invalid-arguments', detail, { hint: 'consentkit <command> --help lists the options.' });
  }
}

/** Splits a command's own flags (`--email x`, `--json`) from the server configuration flags. */
export type CommandArgs = {
  readonly options: Record<string, string | true>;
  readonly positionals: string[];
  /** Everything else, handed to loadConfig (`--data-dir`, `--database-url`…). */
  readonly rest: string[];
};

export function splitArgs(argv: readonly string[], own: Record<string, 'value' | 'boolean'>): CommandArgs {
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = own[name];
    if (kind === 'boolean') options[name] = true;
    else if (kind === 'value') {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new CliUsageError(`--${name} needs a value`);
      options[name] = value;
    } else {
      rest.push(arg);
      // A config flag's value travels with it.
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) rest.push(argv[++i] ?? '');
    }
  }
  return { options, positionals, rest };
}

/** A flag's value that must be there and not empty. */
export function requiredValue(value: string | true | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new CliUsageError(`${flag} is required`);
  return value;
}

export const CONFIG_HELP = `Configuration (environment variable / flag):
  DATABASE_URL / --database-url          PostgreSQL URL (else embedded PGlite)
  CONSENTKIT_DATA_DIR / --data-dir       PGlite folder (default ./.consentkit/data)
  CONSENTKIT_MASTER_KEY / --master-key   32 bytes base64url; seals the ledger keys
  CONSENTKIT_POLICY / --policy           policy JSON (default examples/policies/allstream.json)
  PUBLIC_URL / --public-url              the origin people and mail reach the server on
  PORT / --port, HOST / --host           listener (default 127.0.0.1:8787)
  CONSENTKIT_API_KEY / --api-key         an admin API key from configuration (keys api create makes scoped ones)
  CONSENTKIT_INGEST_REQUIRES_KEY / --ingest-requires-key  true: POST /v1/records needs an ingest key
  CONSENTKIT_CORS_ORIGINS / --cors-origins  comma-separated origins allowed to post records
  CONSENTKIT_UNSUBSCRIBE_MAILTO / --unsubscribe-mailto  mailto: address in List-Unsubscribe
  CONSENTKIT_PURGE_INTERVAL / --purge-interval  retention purge schedule (default 24h; off disables)
  CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL / --partner-webhooks-interval  partner webhook queue check (default 10s; off disables)
  CONSENTKIT_RATE_LIMIT_INGEST / _HOSTED / _ONE_CLICK / _LOG  per-IP limits as N/window (e.g. 600/1m; off disables)
  CONSENTKIT_CHECKPOINT_DIR / --checkpoint-dir  append-only folder each new signed checkpoint is written to
  CONSENTKIT_WITNESS_URLS / --witness-urls  comma-separated witness add-checkpoint URLs (consentkit witness serve)
  CONSENTKIT_CHECKPOINT_PUBLISH_INTERVAL / --checkpoint-publish-interval  how often the head is published (default 1s)
  CONSENTKIT_TRUST_PROXY / --trust-proxy  true: take the client IP from X-Forwarded-For
  CONSENTKIT_SENDGRID_VERIFICATION_KEY, CONSENTKIT_MAILGUN_SIGNING_KEY, CONSENTKIT_POSTMARK_WEBHOOK_USER / _PASSWORD / _TOKEN,
  CONSENTKIT_SES_TOPIC_ARNS, CONSENTKIT_PROVIDER_PURPOSES  email providers' webhooks (docs/privacy-operations.md)`;
