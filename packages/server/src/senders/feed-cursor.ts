import { createHmac, timingSafeEqual } from 'node:crypto';
import { SendersError } from './senders-error.js';

/**
 * The suppression feed's cursor: the last ledger seq a page examined and the purpose it was for,
 * with an HMAC-SHA-256 tag, so a caller can neither forge a position nor reuse a cursor for
 * another purpose. The key is derived from the ledger's csrf key (stored sealed, shared by every
 * instance, never rotated), so a cursor keeps working across restarts and instances. Domain
 * separation (`consentkit suppression-feed cursor v1`) keeps the two uses apart.
 */
export type FeedPosition = { readonly purpose: string; readonly seq: number };

export type FeedCursorCodec = {
  encode(position: FeedPosition): string;
  /** Throws SendersError('invalid-cursor') for anything this ledger did not issue for `purpose`. */
  decode(cursor: string, purpose: string): FeedPosition;
};

const PREFIX = 'c1';

export function createFeedCursorCodec(secret: Uint8Array): FeedCursorCodec {
  const key = createHmac('sha256', secret).update('consentkit suppression-feed cursor v1').digest();
  const tag = (body: string) => createHmac('sha256', key).update(body).digest();
  const refuse = (why: string) =>
    new SendersError(
      'invalid-cursor',
      `the cursor is not valid (${why}): pass back exactly the "cursor" a page of this feed answered, for the same purpose, or leave it out to start from the beginning`,
    );
  return {
    encode(position) {
      const body = `${PREFIX}.${Buffer.from(JSON.stringify({ p: position.purpose, s: position.seq })).toString('base64url')}`;
      return `${body}.${tag(body).toString('base64url')}`;
    },
    decode(cursor, purpose) {
      const parts = cursor.split('.');
      if (parts.length !== 3 || parts[0] !== PREFIX) throw refuse('not a feed cursor');
      const body = `${parts[0]}.${parts[1]}`;
      const given = Buffer.from(parts[2] ?? '', 'base64url');
      const expected = tag(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw refuse('altered or not issued here');
      let parsed: { p?: unknown; s?: unknown };
      try {
        parsed = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as typeof parsed;
      } catch {
        throw refuse('malformed');
      }
      if (
        typeof parsed.p !== 'string' ||
        typeof parsed.s !== 'number' ||
        !Number.isSafeInteger(parsed.s) ||
        parsed.s < 0
      ) {
        throw refuse('malformed');
      }
      if (parsed.p !== purpose) throw refuse(`issued for purpose "${parsed.p}", not "${purpose}"`);
      return { purpose: parsed.p, seq: parsed.s };
    },
  };
}
