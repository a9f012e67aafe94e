/**
 * The URL of the record path's chunk, for a `<link rel="modulepreload">`. Unknown here (sources,
 * bundlers' builds: their own bundler decides); the drop-in build replaces this module with the
 * chunk's real URL (rollup.config.mjs), so the drop-in fetches the chunk before it evaluates it.
 */
export const RECORD_PATH_URL: string | undefined = undefined;
