// `pnpm start`: serves the ledger, the hosted pages and the examples (see the server issue).
console.error('pnpm start: not yet — the ledger server lands with its issue (#5).');
process.exit(1);
