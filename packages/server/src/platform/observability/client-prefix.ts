/**
 * What a log may say about where a request came from: a truncated prefix, never the address.
 * IPv4 keeps its /24, IPv6 its /48 (the rate limiter's key is the input: a full IPv4 address or
 * an IPv6 /64, see platform/http/rate-limit-client.ts).
 */
export function clientPrefixOf(clientKey: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(clientKey);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const v6 = /^([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4}):[0-9a-f:]*\/64$/i.exec(clientKey);
  if (v6) return `${v6[1]}:${v6[2]}:${v6[3]}::/48`;
  // `local` (in-process calls) or something that did not parse: say only that.
  return clientKey === 'local' ? 'local' : 'unknown';
}
