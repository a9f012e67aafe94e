// Who a request comes from, for the rate limits. The socket's address unless the operator says
// a proxy sits in front (CONSENTKIT_TRUST_PROXY): X-Forwarded-For is then read from the right,
// skipping the trusted hops, because everything left of them was written by the client and can
// be forged at will.

/** Hono on Node passes `{ incoming, outgoing }` as the env; in-process calls pass nothing. */
function socketAddress(env: unknown): string | undefined {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  const incoming: unknown = env.incoming;
  if (typeof incoming !== 'object' || incoming === null || !('socket' in incoming)) return undefined;
  const socket: unknown = incoming.socket;
  if (typeof socket !== 'object' || socket === null || !('remoteAddress' in socket)) return undefined;
  return typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

/** Expands an IPv6 address to 8 groups; undefined when it does not parse. */
function ipv6Groups(address: string): string[] | undefined {
  const [head = '', tail, extra] = address.split('::');
  if (extra !== undefined) return undefined;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The bucket key for an address. An IPv4 address (also when IPv4-mapped) is its own key; an
 * IPv6 address counts by its /64, since one subscriber line usually gets a whole /64 and could
 * otherwise rotate through addresses for free.
 */
export function clientKeyOf(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(trimmed)) return trimmed;
  const groups = ipv6Groups(trimmed.replace(/^\[|\]$/g, '').split('%')[0] ?? '');
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : trimmed.slice(0, 64);
}

export type ClientAddressOptions = {
  /** How many proxies in front append to X-Forwarded-For (0: ignore the header). */
  readonly trustProxy: number;
};

/**
 * The client's bucket key. Without a socket (in-process `app.request()` in tests) every request
 * shares the key `local`.
 */
export function clientAddressOf(headers: Headers, env: unknown, options: ClientAddressOptions): string {
  const socket = socketAddress(env);
  if (options.trustProxy > 0) {
    const hops = (headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    // The nearest proxy appended the address it saw last; with n trusted proxies the client is
    // the n-th entry from the right. Fewer entries than that: the socket is the best we know.
    const forwarded = hops[hops.length - options.trustProxy];
    if (forwarded) return clientKeyOf(forwarded);
  }
  return socket ? clientKeyOf(socket) : 'local';
}
