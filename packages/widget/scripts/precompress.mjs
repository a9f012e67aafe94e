// Writes a gzip (.gz) and a brotli (.br) copy beside each built drop-in file, once, at build
// time, at the highest levels (gzip 9, brotli 11): the ledger serves them by Accept-Encoding and
// never compresses per request. Run by the drop-in's rollup build (rollup.config.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** The encodings written, by file suffix; the server's negotiation (widget-assets.ts) reads the same suffixes. */
export const PRECOMPRESSED = { br: '.br', gzip: '.gz' };

/**
 * Compresses `files` (names inside `dir`) and returns the names written. Brotli is told the input
 * is text and its size, which lets it pick its window: the same bytes every build.
 */
export function precompress(dir, files) {
  const written = [];
  for (const name of files) {
    const source = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}${PRECOMPRESSED.gzip}`), gzipSync(source, { level: 9 }));
    writeFileSync(
      join(dir, `${name}${PRECOMPRESSED.br}`),
      brotliCompressSync(source, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
        },
      }),
    );
    written.push(`${name}${PRECOMPRESSED.gzip}`, `${name}${PRECOMPRESSED.br}`);
  }
  return written;
}
