// `pnpm bench`: benchmarks and budgets (see the benchmarks issue, #8).
console.error('pnpm bench: not yet — benchmarks land with their issue (#8).');
process.exit(1);
