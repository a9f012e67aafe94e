import { requiredValue, splitArgs } from '../cli/args.js';
import { type Command, withServer } from '../cli/command.js';
import { loadConfig } from '../runtime/config.js';
import { createUnsubscribeLinker } from './list-unsubscribe.js';

/** `consentkit link --email <a> --purpose <p>`: what a sender puts in a mail (createUnsubscribeLinker). */
export const linkCommand: Command = {
  summary: 'unsubscribe, preference and pending-grant confirmation URLs and List-Unsubscribe headers for an address',
  usage: 'consentkit link --email <address> --purpose <purpose-id|*> [--json]',
  options: [
    ['--email <address>', 'the recipient'],
    ['--purpose <id|*>', 'the purpose the unsubscribe link turns off; * for every optional purpose'],
    ['--json', 'the URLs and header lines as JSON'],
  ],
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { email: 'value', purpose: 'value', json: 'boolean' });
    const email = requiredValue(options.email, '--email');
    const purpose = requiredValue(options.purpose, '--purpose');
    const config = loadConfig({ argv: rest });
    await withServer(rest, async ({ context, publicUrl }) => {
      const linker = createUnsubscribeLinker({ context, publicUrl, mailto: config.unsubscribeMailto });
      const links = await linker.linksFor({ email, purpose });
      if (options.json) io.out(JSON.stringify(links, null, 2));
      else {
        io.out(`unsubscribe: ${links.unsubscribeUrl}`);
        io.out(`preferences: ${links.preferencesUrl}`);
        for (const c of links.confirmations) io.out(`confirm ${c.purpose} (record ${c.recordId}): ${c.url}`);
        for (const line of links.headerLines) io.out(line);
      }
    });
    return 0;
  },
};
