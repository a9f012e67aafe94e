// `pnpm consentkit …` from the repo root runs the server package's CLI.
console.error('pnpm consentkit: not yet — the CLI lands with the server issue (#5).');
process.exit(1);
