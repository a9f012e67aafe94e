import type pg from 'pg';
import { newRawRow, RAW_COLUMNS, type RawRow, rawRowOver } from './entry-bytes.js';
import { RangeReadError } from './range-read-error.js';

/**
 * Runs `COPY (select) TO STDOUT (FORMAT binary)` on a pg client and hands each row to `each` as
 * byte ranges (entry-bytes.ts), synchronously, while the driver's buffer still holds them: no
 * string and no object per row. The range workers read entries this way because a SELECT through
 * the driver turns every column of every row into a string and every row into an object, which
 * was most of a worker's time per entry (profiled: docs/transparency.md). The driver handles the
 * COPY's messages as any query's; this object takes the role its Query class has (the client
 * calls the handlers below), as pg-copy-streams does, without the dependency.
 *
 * `each` returns false to skip the rest (the COPY still runs to its end, which bounds a range's
 * read; ranges are a few tens of thousands of rows). Rows arrive in the SELECT's order; the
 * promise gives how many there were.
 */
export function copyRows(client: pg.Client, select: string, each: (row: RawRow) => boolean): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const parser = createCopyParser(each);
    let failure: Error | undefined;
    let settled = false;
    const query: pg.Submittable & Record<string, unknown> = {
      submit(connection: pg.Connection) {
        connection.query(`COPY (${select}) TO STDOUT (FORMAT binary)`);
      },
      handleCopyData(message: { chunk: Buffer }) {
        if (failure) return;
        try {
          parser.push(message.chunk);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      },
      handleCommandComplete() {},
      handleEmptyQuery() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleError(error: Error) {
        failure ??= error;
        // A connection error comes with no readyForQuery: settle now.
        if (!settled) {
          settled = true;
          reject(error);
        }
      },
      handleReadyForQuery() {
        if (settled) return;
        settled = true;
        try {
          if (failure) throw failure;
          resolve(parser.end());
        } catch (error) {
          reject(error);
        }
      },
    };
    client.query(query);
  });
}

/**
 * The binary COPY format (PostgreSQL's "COPY", File Formats): a header, then per row an int16
 * column count and per column an int32 length (−1 for NULL) and its bytes, then −1. `push` takes
 * the stream in chunks cut anywhere (PostgreSQL sends a message a row, but need not) and calls
 * `each` for every whole row in it; `end` gives the row count, or throws if the stream stopped
 * inside a row or before its trailer.
 */
export function createCopyParser(each: (row: RawRow) => boolean): { push(chunk: Buffer): void; end(): number } {
  const row = newRawRow();
  // The start of a row split over chunks, copied: the driver reuses the buffer a chunk lies in.
  let carry: Buffer | undefined;
  let header = false;
  let trailer = false;
  let rows = 0;
  let wanted = true;

  /** Reads whole rows from `buf`; where the first incomplete one starts. */
  function rowsIn(buf: Buffer): number {
    let p = 0;
    if (!header) {
      // "PGCOPY\n\xff\r\n\0", flags (int32), header extension length (int32) and the extension.
      if (buf.length < 19) return p;
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) return p;
      if (buf.toString('latin1', 0, 11) !== 'PGCOPY\n\xff\r\n\0') throw new RangeReadError('binary COPY: no header');
      p = 19 + extension;
      header = true;
    }
    rawRowOver(row, buf);
    while (buf.length - p >= 2) {
      if (trailer) throw new RangeReadError('binary COPY: bytes after the trailer');
      const columns = buf.readInt16BE(p);
      if (columns === -1) {
        trailer = true;
        p += 2;
        continue;
      }
      if (columns !== RAW_COLUMNS) throw new RangeReadError(`binary COPY: ${columns} columns, not ${RAW_COLUMNS}`);
      let q = p + 2;
      for (let k = 0; k < RAW_COLUMNS; k++) {
        if (buf.length - q < 4) return p;
        const length = buf.readInt32BE(q);
        q += 4;
        row.at[2 * k] = q;
        row.at[2 * k + 1] = length;
        if (length > 0) q += length;
        if (q > buf.length) return p;
      }
      rows++;
      if (wanted) wanted = each(row);
      p = q;
    }
    return p;
  }

  return {
    push(chunk) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const rest = rowsIn(buf);
      carry = rest < buf.length ? Buffer.from(buf.subarray(rest)) : undefined;
    },
    end() {
      if (carry || !trailer) throw new RangeReadError('binary COPY: the stream ended inside a row');
      return rows;
    },
  };
}
