import { requiredValue, splitArgs } from '../cli/args.js';
import { type Command, withServer } from '../cli/command.js';
import { loadConfig } from '../runtime/config.js';
import { createUnsubscribeLinker } from './list-unsubscribe.js';

/** `consentkit link --email <a> --purpose <p>`: what a sender puts in a mail (createUnsubscribeLinker). */
export const linkCommand: Command = {
  summary: 'unsubscribe, preference and pending-grant confirmation URLs and List-Unsubscribe headers for an address',
  usage: 'consentkit link --email <address> --purpose <purpose-id|*> [--lang <tag>] [--json]',
  options: [
    ['--email <address>', 'the recipient'],
    ['--purpose <id|*>', 'the purpose the unsubscribe link turns off; * for every optional purpose'],
    ['--lang <tag>', 'the recipient’s language (e.g. fr, pt-BR): the footer words and the pages the links open'],
    ['--json', 'the URLs, header lines and footer words as JSON'],
  ],
  async run(argv, io) {
    const { options, rest } = splitArgs(argv, { email: 'value', purpose: 'value', lang: 'value', json: 'boolean' });
    const email = requiredValue(options.email, '--email');
    const purpose = requiredValue(options.purpose, '--purpose');
    const lang = options.lang === undefined ? undefined : requiredValue(options.lang, '--lang');
    const config = loadConfig({ argv: rest });
    await withServer(rest, async ({ context, publicUrl }) => {
      const linker = createUnsubscribeLinker({ context, publicUrl, mailto: config.unsubscribeMailto });
      const links = await linker.linksFor({ email, purpose, lang });
      if (options.json) io.out(JSON.stringify(links, null, 2));
      else {
        io.out(`unsubscribe: ${links.unsubscribeUrl}`);
        io.out(`preferences: ${links.preferencesUrl}`);
        for (const c of links.confirmations) io.out(`confirm ${c.purpose} (record ${c.recordId}): ${c.url}`);
        for (const line of links.headerLines) io.out(line);
        io.out(
          `footer (${links.footer.lang}): ${links.footer.sentBy} ${links.footer.unsubscribe} · ${links.footer.preferences}`,
        );
      }
    });
    return 0;
  },
};
