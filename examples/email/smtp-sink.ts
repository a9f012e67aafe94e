/**
 * A local SMTP sink (the smtp-server package): accepts every message on 127.0.0.1 and keeps it,
 * so the example "sends" real SMTP without a mail account and the test reads what a mailbox
 * provider would receive. No TLS and no auth: it listens on the loopback interface only.
 */
import { SMTPServer } from 'smtp-server';

export type SinkMessage = { readonly from: string; readonly to: readonly string[]; readonly raw: string };

export type SmtpSink = {
  readonly host: string;
  readonly port: number;
  readonly messages: readonly SinkMessage[];
  /** Resolves with the message once `count` have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage>;
  close(): Promise<void>;
};

export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return {
    host,
    port,
    messages,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`the SMTP sink got ${messages.length} of ${count} messages`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200);
        });
      }
      const message = messages[count - 1];
      if (!message) throw new Error('unreachable: message missing');
      return message;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
