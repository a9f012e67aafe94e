import {
  type DestinationStream,
  destination as fileDestination,
  levels,
  type Logger as PinoLogger,
  pino,
  stdTimeFunctions,
} from 'pino';
import { currentRequestId } from './request-scope.js';

/**
 * The server's one logger (pino). Production writes one JSON line per event; development writes
 * one readable, coloured line. Every line written while a request is served carries its
 * `requestId` (taken from the request scope, so no feature has to pass it along).
 *
 * Personal data never belongs in a log: callers log codes, counts and route groups, never paths,
 * bodies or headers. The redaction below is a second line of defence for a field that slips in.
 */
export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export type LoggerOptions = {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** A file to append to instead of stdout. */
  readonly file?: string | undefined;
  /** Where lines go (tests); wins over `file`. */
  readonly destination?: { write(line: string): void };
};

// Field names that would carry an identifier if a caller ever logged one.
const REDACTED_KEYS = [
  'email',
  'identifier',
  'ref',
  'subjectRef',
  'token',
  'apiKey',
  'key',
  'secret',
  'opening',
  'authorization',
  'cookie',
  'ip',
  'address',
  'body',
  'url',
  'path',
];

const COLOURS: Record<string, string> = {
  trace: '\u001b[90m',
  debug: '\u001b[36m',
  info: '\u001b[32m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
  fatal: '\u001b[35m',
};

/** One line per event for a person reading a terminal: time, level, message, then key=value. */
export function createPrettyDestination(
  out: { write(line: string): void },
  options: { readonly colour: boolean },
): DestinationStream {
  return {
    write(line: string) {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const { time, level, msg, pid: _pid, hostname: _hostname, ...fields } = event;
      const name = levels.labels[Number(level)] ?? String(level);
      const stamp = new Date(Number(time)).toISOString().slice(11, 23);
      const tag = name.toUpperCase().padEnd(5);
      const rest = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const [on, off] = options.colour ? [COLOURS[name] ?? '', '\u001b[0m'] : ['', ''];
      out.write(
        `${stamp} ${on}${tag}${off} ${String(msg ?? '')}${rest ? ` ${options.colour ? '\u001b[2m' : ''}${rest}${off}` : ''}\n`,
      );
    },
  };
}

/** The fields of an error worth logging (no `cause` chain: it may hold a request's data). */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const json: DestinationStream =
    options.destination ??
    fileDestination({ dest: options.file ?? 1, sync: true, ...(options.file ? { append: true, mkdir: true } : {}) });
  const destination =
    options.format === 'pretty'
      ? createPrettyDestination(json, {
          colour: !options.file && !options.destination && process.stdout.isTTY === true,
        })
      : json;
  return pino(
    {
      level: options.level,
      base: null,
      messageKey: 'msg',
      timestamp: options.format === 'pretty' ? stdTimeFunctions.epochTime : stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: options.format === 'pretty' ? levels.values[label] : label }) },
      serializers: { err: serializeError },
      redact: { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}

let fallback: Logger | undefined;

/**
 * The logger for a feature started without one (a test or a script that builds one feature
 * alone): JSON lines on stderr. The running server always passes its own.
 */
export function fallbackLogger(): Logger {
  fallback ??= createLogger({ level: 'info', format: 'json', destination: process.stderr });
  return fallback;
}

/** The log settings from the environment (CONSENTKIT_LOG_LEVEL, CONSENTKIT_LOG_FORMAT, CONSENTKIT_LOG_FILE). */
export function logSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: { readonly level: LogLevel },
): LoggerOptions {
  const level = (LOG_LEVELS as readonly string[]).includes(env.CONSENTKIT_LOG_LEVEL ?? '')
    ? (env.CONSENTKIT_LOG_LEVEL as LogLevel)
    : defaults.level;
  const format = (LOG_FORMATS as readonly string[]).includes(env.CONSENTKIT_LOG_FORMAT ?? '')
    ? (env.CONSENTKIT_LOG_FORMAT as LogFormat)
    : env.NODE_ENV === 'production'
      ? 'json'
      : 'pretty';
  return { level, format, file: env.CONSENTKIT_LOG_FILE || undefined };
}
