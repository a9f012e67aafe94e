import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type IntervalOptions, parseInterval } from '@consentkit/core';
import { z } from 'zod';
import { parseRateLimit, type RateLimitSetting } from '../platform/http/rate-limit.js';
import { LOG_FORMATS, LOG_LEVELS } from '../platform/observability/logger.js';
import { ServerError } from '../platform/server-error.js';
import { parseCosignerVerifierKey } from '../witness/cosignature.js';

/**
 * Server configuration from the environment, overridden by CLI flags, validated by zod. Every
 * problem is reported at once, naming the variable and the flag, so a bad deploy fails with one
 * readable message instead of a stack trace.
 */
export class ConfigError extends ServerError<'invalid-config'> {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super('invalid-config', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`, {
      hint: 'Each line names the environment variable and the flag to fix.',
    });
    this.problems = problems;
  }
}

const base64url32 = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 random bytes in base64url without padding (43 characters)');

/** `off` or `N/window` (platform/http/rate-limit.ts), checked here so a typo fails the start-up. */
const rateLimit = z.string().transform((text, ctx): RateLimitSetting => {
  const parsed = parseRateLimit(text);
  if (typeof parsed === 'object' && 'error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});

/** `off` or a fixed duration (core's one parser), its range and fix named in the message. */
const interval = (options: IntervalOptions) =>
  z.string().transform((text, ctx): number | 'off' => {
    try {
      return parseInterval(text, { ...options, allowOff: true });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });

/** How often the server looks for opt-outs to tell partners about and sends what is due. */
export const DEFAULT_PARTNER_WEBHOOKS_INTERVAL = '10s';

/** The default of CONSENTKIT_PROOF_CACHE_LEAVES: 2^24 leaves, about 600 MB of nodes. */
export const DEFAULT_PROOF_CACHE_LEAVES = 2 ** 24;
/** 2^30 leaves would hold about 38 GB: beyond that the setting is surely a typo. */
const MAX_PROOF_CACHE_LEAVES = 2 ** 30;
const PROOF_CACHE_HINT = `must be a whole number of leaves from 0 (no cache: every proof reads the database) to ${MAX_PROOF_CACHE_LEAVES} (2^30), at 36 bytes a leaf; the default ${DEFAULT_PROOF_CACHE_LEAVES} (2^24) holds about 600 MB`;

const configSchema = z.object({
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  dataDir: z.string().min(1),
  masterKey: base64url32.optional(),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  corsOrigins: z.array(z.url({ error: 'each CORS origin must be a URL such as https://shop.example' })),
  policyFile: z.string().min(1),
  apiKey: z.string().min(16, 'must be at least 16 characters').optional(),
  ingestRequiresKey: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1'),
  checkpointEvery: z.coerce.number().int().min(1).max(100_000),
  // Where each new signed checkpoint is published (witness/checkpoint-publisher.ts, R72).
  checkpointDir: z.string().min(1).optional(),
  witnessUrls: z.array(
    z.url({ protocol: /^https?$/, error: "each witness URL must be an http(s) URL (the witness's /add-checkpoint)" }),
  ),
  // Each witness's cosigner verifier key, in the order of witnessUrls: its cosignatures are kept
  // only once they verify against it (witness/checkpoint-publisher.ts).
  witnessKeys: z.array(z.string().min(1)),
  // The Merkle nodes held in memory for proofs (ledger/node-cache.ts): 36 bytes a leaf.
  proofCacheLeaves: z.coerce
    .number({ error: PROOF_CACHE_HINT })
    .int(PROOF_CACHE_HINT)
    .min(0, PROOF_CACHE_HINT)
    .max(MAX_PROOF_CACHE_LEAVES, PROOF_CACHE_HINT),
  checkpointPublishInterval: interval({
    min: 100,
    max: 3_600_000,
    hint: 'Use a duration between 100ms and 60m, such as 1s or 30s.',
  }),
  maxBodyBytes: z.coerce.number().int().min(1024),
  maxBatch: z.coerce.number().int().min(1).max(10_000),
  unsubscribeMailto: z.email({ error: 'must be an email address' }).optional(),
  rateLimitIngest: rateLimit,
  rateLimitHosted: rateLimit,
  rateLimitOneClick: rateLimit,
  rateLimitLog: rateLimit,
  trustProxy: z
    .string()
    .regex(/^(true|false|\d{1,2})$/i, 'must be false, true (one proxy) or the number of proxies in front')
    .transform((v) => (v.toLowerCase() === 'true' ? 1 : v.toLowerCase() === 'false' ? 0 : Number(v))),
  partnerWebhooksInterval: interval({
    min: 100,
    max: 3_600_000,
    hint: 'Use off or a duration between 100ms and 60m, such as 500ms, 10s or 1m.',
  }),
  partnerWebhooksMaxAttempts: z.coerce.number().int().min(1).max(100),
  purgeInterval: interval({
    hint: 'Use an interval such as 24h, 12h, 30m or 1d, or off to disable the job.',
  }).transform((v) => (v === 'off' ? null : v)),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  logFormat: z.enum(LOG_FORMATS, { error: 'must be json (one JSON line per event) or pretty (coloured lines)' }),
  logFile: z.string().min(1).optional(),
  metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
  shutdownDeadline: interval({
    min: 0,
    max: 600_000,
    hint: 'Use a duration between 0s and 10m, such as 25s (below Kubernetes terminationGracePeriodSeconds).',
  }).transform((v) => (v === 'off' ? 0 : v)),
  production: z.boolean(),
  // Email providers' webhooks (providers/): each secret as the provider's settings page shows it.
  sendgridVerificationKey: z.string().min(40, 'must be the base64 verification key SendGrid shows').optional(),
  mailgunSigningKey: z.string().min(8, 'must be the HTTP webhook signing key Mailgun shows').optional(),
  postmarkWebhookUser: z.string().min(1).optional(),
  postmarkWebhookPassword: z.string().min(16, 'must be at least 16 characters').optional(),
  postmarkWebhookToken: z.string().min(16, 'must be at least 16 characters').optional(),
  sesTopicArns: z.array(
    z.string().regex(/^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'each must be an SNS topic ARN'),
  ),
  providerPurposes: z.array(z.string().min(1)),
});

export type ServerConfig = z.infer<typeof configSchema>;

/** Environment variable and CLI flag per setting (the flag wins). */
export const CONFIG_SOURCES = {
  databaseUrl: ['DATABASE_URL', '--database-url'],
  dataDir: ['CONSENTKIT_DATA_DIR', '--data-dir'],
  masterKey: ['CONSENTKIT_MASTER_KEY', '--master-key'],
  port: ['PORT', '--port'],
  host: ['HOST', '--host'],
  publicUrl: ['PUBLIC_URL', '--public-url'],
  corsOrigins: ['CONSENTKIT_CORS_ORIGINS', '--cors-origins'],
  policyFile: ['CONSENTKIT_POLICY', '--policy'],
  apiKey: ['CONSENTKIT_API_KEY', '--api-key'],
  ingestRequiresKey: ['CONSENTKIT_INGEST_REQUIRES_KEY', '--ingest-requires-key'],
  checkpointEvery: ['CONSENTKIT_CHECKPOINT_EVERY', '--checkpoint-every'],
  checkpointDir: ['CONSENTKIT_CHECKPOINT_DIR', '--checkpoint-dir'],
  witnessUrls: ['CONSENTKIT_WITNESS_URLS', '--witness-urls'],
  witnessKeys: ['CONSENTKIT_WITNESS_KEYS', '--witness-keys'],
  checkpointPublishInterval: ['CONSENTKIT_CHECKPOINT_PUBLISH_INTERVAL', '--checkpoint-publish-interval'],
  proofCacheLeaves: ['CONSENTKIT_PROOF_CACHE_LEAVES', '--proof-cache-leaves'],
  maxBodyBytes: ['CONSENTKIT_MAX_BODY_BYTES', '--max-body-bytes'],
  maxBatch: ['CONSENTKIT_MAX_BATCH', '--max-batch'],
  unsubscribeMailto: ['CONSENTKIT_UNSUBSCRIBE_MAILTO', '--unsubscribe-mailto'],
  purgeInterval: ['CONSENTKIT_PURGE_INTERVAL', '--purge-interval'],
  rateLimitIngest: ['CONSENTKIT_RATE_LIMIT_INGEST', '--rate-limit-ingest'],
  rateLimitHosted: ['CONSENTKIT_RATE_LIMIT_HOSTED', '--rate-limit-hosted'],
  rateLimitOneClick: ['CONSENTKIT_RATE_LIMIT_ONE_CLICK', '--rate-limit-one-click'],
  rateLimitLog: ['CONSENTKIT_RATE_LIMIT_LOG', '--rate-limit-log'],
  trustProxy: ['CONSENTKIT_TRUST_PROXY', '--trust-proxy'],
  partnerWebhooksInterval: ['CONSENTKIT_PARTNER_WEBHOOKS_INTERVAL', '--partner-webhooks-interval'],
  partnerWebhooksMaxAttempts: ['CONSENTKIT_PARTNER_WEBHOOKS_MAX_ATTEMPTS', '--partner-webhooks-max-attempts'],
  logLevel: ['CONSENTKIT_LOG_LEVEL', '--log-level'],
  logFormat: ['CONSENTKIT_LOG_FORMAT', '--log-format'],
  logFile: ['CONSENTKIT_LOG_FILE', '--log-file'],
  metricsToken: ['CONSENTKIT_METRICS_TOKEN', '--metrics-token'],
  shutdownDeadline: ['CONSENTKIT_SHUTDOWN_DEADLINE', '--shutdown-deadline'],
  sendgridVerificationKey: ['CONSENTKIT_SENDGRID_VERIFICATION_KEY', '--sendgrid-verification-key'],
  mailgunSigningKey: ['CONSENTKIT_MAILGUN_SIGNING_KEY', '--mailgun-signing-key'],
  postmarkWebhookUser: ['CONSENTKIT_POSTMARK_WEBHOOK_USER', '--postmark-webhook-user'],
  postmarkWebhookPassword: ['CONSENTKIT_POSTMARK_WEBHOOK_PASSWORD', '--postmark-webhook-password'],
  postmarkWebhookToken: ['CONSENTKIT_POSTMARK_WEBHOOK_TOKEN', '--postmark-webhook-token'],
  sesTopicArns: ['CONSENTKIT_SES_TOPIC_ARNS', '--ses-topic-arns'],
  providerPurposes: ['CONSENTKIT_PROVIDER_PURPOSES', '--provider-purposes'],
} as const satisfies Record<Exclude<keyof ServerConfig, 'production'>, readonly [string, string]>;

type Key = keyof typeof CONFIG_SOURCES;

export type LoadConfigOptions = {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Flags such as `--port 8080` or `--port=8080`; unknown flags are an error. */
  readonly argv?: readonly string[];
  readonly cwd?: string;
};

function parseFlags(argv: readonly string[]): { values: Partial<Record<Key, string>>; problems: string[] } {
  const byFlag = new Map(Object.entries(CONFIG_SOURCES).map(([key, [, flag]]) => [flag as string, key as Key]));
  const values: Partial<Record<Key, string>> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const key = byFlag.get(flag ?? '');
    if (!key) {
      problems.push(`unknown option ${arg}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) problems.push(`${flag} needs a value`);
    else values[key] = value;
  }
  return { values, problems };
}

/** How long a SIGTERM waits for in-flight work; below Kubernetes' default 30 s grace period. */
export const DEFAULT_SHUTDOWN_DEADLINE = '25s';

/** Defaults of the CONSENTKIT_RATE_LIMIT_* settings. */
export const DEFAULT_RATE_LIMITS = { ingest: '600/1m', hosted: '120/1m', oneClick: '3000/1m', log: '600/1m' } as const;

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { values: flags, problems } = parseFlags(options.argv ?? []);
  const raw = (key: Key): string | undefined => {
    const value = flags[key] ?? env[CONFIG_SOURCES[key][0]];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const port = raw('port') ?? '8787';
  const input = {
    databaseUrl: raw('databaseUrl'),
    dataDir: resolve(cwd, raw('dataDir') ?? '.consentkit/data'),
    masterKey: raw('masterKey'),
    port,
    host: raw('host') ?? '127.0.0.1',
    publicUrl: raw('publicUrl'),
    corsOrigins: (raw('corsOrigins') ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    policyFile: resolve(cwd, raw('policyFile') ?? 'examples/policies/allstream.json'),
    apiKey: raw('apiKey'),
    ingestRequiresKey: raw('ingestRequiresKey')?.toLowerCase() ?? 'false',
    checkpointEvery: raw('checkpointEvery') ?? '100',
    checkpointDir: raw('checkpointDir') === undefined ? undefined : resolve(cwd, raw('checkpointDir') ?? ''),
    witnessUrls: list(raw('witnessUrls')),
    witnessKeys: list(raw('witnessKeys')),
    checkpointPublishInterval: raw('checkpointPublishInterval') ?? '1s',
    proofCacheLeaves: raw('proofCacheLeaves') ?? String(DEFAULT_PROOF_CACHE_LEAVES),
    maxBodyBytes: raw('maxBodyBytes') ?? String(1024 * 1024),
    maxBatch: raw('maxBatch') ?? '100',
    unsubscribeMailto: raw('unsubscribeMailto'),
    // Per client address; generous for people and browsers, see docs/security.md "Rate limits".
    rateLimitIngest: raw('rateLimitIngest') ?? DEFAULT_RATE_LIMITS.ingest,
    rateLimitHosted: raw('rateLimitHosted') ?? DEFAULT_RATE_LIMITS.hosted,
    rateLimitOneClick: raw('rateLimitOneClick') ?? DEFAULT_RATE_LIMITS.oneClick,
    rateLimitLog: raw('rateLimitLog') ?? DEFAULT_RATE_LIMITS.log,
    trustProxy: raw('trustProxy') ?? 'false',
    partnerWebhooksInterval: raw('partnerWebhooksInterval') ?? DEFAULT_PARTNER_WEBHOOKS_INTERVAL,
    partnerWebhooksMaxAttempts: raw('partnerWebhooksMaxAttempts') ?? '12',
    purgeInterval: raw('purgeInterval') ?? '24h',
    logLevel: raw('logLevel')?.toLowerCase() ?? 'info',
    // JSON lines for a log shipper in production, readable lines for a person otherwise.
    logFormat: raw('logFormat')?.toLowerCase() ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty'),
    logFile: raw('logFile') === undefined ? undefined : resolve(cwd, raw('logFile') ?? ''),
    metricsToken: raw('metricsToken'),
    shutdownDeadline: raw('shutdownDeadline') ?? DEFAULT_SHUTDOWN_DEADLINE,
    production: env.NODE_ENV === 'production',
    sendgridVerificationKey: raw('sendgridVerificationKey'),
    mailgunSigningKey: raw('mailgunSigningKey'),
    postmarkWebhookUser: raw('postmarkWebhookUser'),
    postmarkWebhookPassword: raw('postmarkWebhookPassword'),
    postmarkWebhookToken: raw('postmarkWebhookToken'),
    sesTopicArns: list(raw('sesTopicArns')),
    providerPurposes: list(raw('providerPurposes')),
  };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as Key;
      const [variable, flag] = CONFIG_SOURCES[key] ?? [String(key), ''];
      problems.push(`${variable} (${flag}): ${issue.message}`);
    }
  }
  if (parsed.success && parsed.data.production && !parsed.data.masterKey) {
    problems.push('CONSENTKIT_MASTER_KEY (--master-key): required when NODE_ENV=production');
  }
  if (parsed.success && parsed.data.production && !parsed.data.publicUrl) {
    problems.push('PUBLIC_URL (--public-url): required when NODE_ENV=production (links in emails use it)');
  }
  if (
    parsed.success &&
    (parsed.data.postmarkWebhookUser === undefined) !== (parsed.data.postmarkWebhookPassword === undefined)
  ) {
    problems.push(
      'CONSENTKIT_POSTMARK_WEBHOOK_USER and _PASSWORD (--postmark-webhook-user/-password): set both or neither',
    );
  }
  if (parsed.success && parsed.data.witnessKeys.length > 0) {
    const { witnessKeys, witnessUrls } = parsed.data;
    if (witnessKeys.length !== witnessUrls.length) {
      problems.push(
        `CONSENTKIT_WITNESS_KEYS (--witness-keys): ${witnessKeys.length} keys for ${witnessUrls.length} witness URLs; give one verifier key per URL, in the same order`,
      );
    }
    for (const key of witnessKeys) {
      const parsedKey = parseCosignerVerifierKey(key);
      if ('reason' in parsedKey) problems.push(`CONSENTKIT_WITNESS_KEYS (--witness-keys): ${parsedKey.reason}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

export type MasterKey = { readonly key: Uint8Array; readonly generatedAt?: string; readonly warning?: string };

/**
 * The master key from the configuration, or — outside production only — one generated once and
 * kept in the data folder, so `pnpm start` needs no setup. That file is as secret as the data.
 */
export function resolveMasterKey(config: Pick<ServerConfig, 'masterKey' | 'dataDir' | 'production'>): MasterKey {
  if (config.masterKey) return { key: new Uint8Array(Buffer.from(config.masterKey, 'base64url')) };
  if (config.production)
    throw new ConfigError(['CONSENTKIT_MASTER_KEY (--master-key): required when NODE_ENV=production']);
  const file = join(config.dataDir, 'master.key');
  const warning = `[consentkit] warning: no CONSENTKIT_MASTER_KEY; using the development key in ${file}. Set CONSENTKIT_MASTER_KEY in production.`;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    const parsed = base64url32.safeParse(text);
    if (!parsed.success) throw new ConfigError([`${file}: ${parsed.error.issues[0]?.message ?? 'invalid key'}`]);
    return { key: new Uint8Array(Buffer.from(text, 'base64url')), warning };
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = crypto.getRandomValues(new Uint8Array(32));
  writeFileSync(file, `${Buffer.from(key).toString('base64url')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { key, generatedAt: file, warning };
}

/** The origin links are built on: PUBLIC_URL, else the local listener. */
export function publicUrlOf(config: Pick<ServerConfig, 'publicUrl' | 'port' | 'host'>): string {
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  return url.replace(/\/+$/, '');
}

/**
 * The transparency log's origin (C2SP tlog-checkpoint): PUBLIC_URL without its scheme, plus
 * `/ledger`; without PUBLIC_URL the ledger's default. Fixed when the head is first sealed.
 */
export function logOriginOf(config: Pick<ServerConfig, 'publicUrl'>): string | undefined {
  if (!config.publicUrl) return undefined;
  const url = new URL(config.publicUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}/ledger`;
}
