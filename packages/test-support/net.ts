// @consentkit/test-support/net: Node only. Addresses for tests of what a client does when the
// network fails.
import { createServer } from 'node:net';

/** An origin nothing listens on: a loopback port the OS handed out, then closed again. */
export async function closedOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port for the probe');
  return `http://127.0.0.1:${address.port}`;
}
