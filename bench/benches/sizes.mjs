// 1. Bundle sizes, raw and gzip -9, of every public browser entry. An entry's size includes the
// chunks it imports statically (what a browser must fetch before it runs); lazily imported
// chunks are listed on their own. Package (ESM) builds keep Lit, the SDK and core external —
// the consumer's bundler dedupes them — so only the drop-in is a whole-page cost.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { expandPattern, GROUPS, groupFiles, groupParts, gzipSize, TARGETS } from '../../scripts/check-size.mjs';
import { buildInMemory, dropInFiles, newestSource, productConfigs } from '../lib/bundles.mjs';
import { figure } from '../lib/figures.mjs';
import { ROOT } from '../lib/paths.mjs';

const SRC = { core: 'packages/core/src', sdk: 'packages/sdk/src', widget: 'packages/widget/src' };

/** Output folders of rollup.config.mjs, the sources each depends on, and its public entries. */
const OUTPUTS = [
  {
    dir: 'packages/widget/dist',
    dropIn: true,
    sources: [SRC.core, SRC.sdk, SRC.widget],
    entries: [
      { label: 'drop-in entry consentkit.js (the controls, painted by hand, and English)', file: 'consentkit.js' },
      {
        label: 'drop-in record path chunk (SDK, signing, outbox; own bytes)',
        pattern: /^consentkit-record-.*\.js$/,
        own: true,
      },
      {
        label: 'drop-in lazy chunk <consent-notice> (own bytes)',
        pattern: /^consentkit-consent-notice-.*\.js$/,
        own: true,
      },
      {
        // Loaded on first use, after consentkit.js (which it imports): its own bytes are the extra cost.
        label: 'drop-in lazy chunk <consent-preferences> (own bytes)',
        pattern: /^consentkit-consent-preferences-.*\.js$/,
        own: true,
      },
    ],
  },
  {
    dir: 'packages/widget/dist',
    sources: [SRC.widget],
    entries: [
      { label: '@consentkit/widget (ESM, deps external)', file: 'index.js' },
      { label: '@consentkit/widget/define (ESM, deps external)', file: 'define.js' },
    ],
  },
  {
    dir: 'packages/sdk/dist',
    sources: [SRC.sdk],
    entries: [{ label: '@consentkit/sdk (ESM, core external)', file: 'index.js' }],
  },
  {
    dir: 'packages/core/dist',
    sources: [SRC.core],
    entries: [
      { label: '@consentkit/core (ESM)', file: 'index.js' },
      { label: '@consentkit/core/schema (ESM, zod external)', file: 'schema.js' },
    ],
  },
];

/** The bytes this bench measures (file name → text, relative to `dir`), as check-size's walk reads files. */
function sourceOf(dir, files) {
  const prefix = dir ? `${dir}/` : '';
  return {
    list: (pattern) =>
      expandPattern(pattern, (sub) =>
        [...files.keys()].filter((n) => posix.dirname(`${prefix}${n}`) === sub).map((n) => posix.basename(n)),
      ),
    read: (file) => files.get(file.slice(prefix.length)) ?? '',
  };
}

/**
 * The drop-in's budgets, as scripts/check-size.mjs gates them (its GROUPS, ceilings and TARGETS,
 * its static-import walk), over the bytes this bench measures: `files` is the drop-in's folder
 * by file name, as dropInFiles read or built it.
 */
function budgetFigures(dir, files) {
  const source = sourceOf(dir, files);
  return Object.entries(GROUPS).map(([name, group]) => {
    const { ceiling } = group;
    const parts = groupParts(group, source);
    const size = parts.reduce((sum, file) => sum + gzipSize(source.read(file)), 0);
    const target = TARGETS[name];
    return figure({
      id: `sizes:budget:${name.replaceAll(' ', '-')}`,
      label: `drop-in budget: ${name} (${parts.map((p) => p.slice(dir.length + 1).replace(/-[\w-]{8}\.js$/, '-*.js')).join(' + ')}), gzip -9; check-size's ceiling ${ceiling.toLocaleString('en-US')} B`,
      value: size,
      unit: 'B',
      ...(target ? { target: { op: '<=', value: target, text: `≤ ${target.toLocaleString('en-US')} B gz` } } : {}),
    });
  });
}

function readDist(dir) {
  const files = new Map();
  const walk = (sub) => {
    const full = join(ROOT, dir, sub);
    if (!existsSync(full)) return;
    for (const e of readdirSync(full, { withFileTypes: true })) {
      const name = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== 'types') walk(name);
      else if (e.isFile() && e.name.endsWith('.js')) files.set(name, readFileSync(join(full, e.name), 'utf8'));
    }
  };
  walk('');
  return files;
}

export async function run(ctx) {
  const configs = await productConfigs();
  const figures = [];
  const rows = [];
  const notes = [];
  for (const output of OUTPUTS) {
    const distFiles = readDist(output.dir);
    const newest = newestSource(output.sources);
    const entryFile = (e) =>
      e.file ?? [...distFiles.keys()].find((name) => e.pattern.test(name) && !name.includes('/'));
    const problems = output.entries
      .map((e) => entryFile(e))
      .map((f) =>
        !f || !distFiles.has(f) ? 'missing' : statSync(join(ROOT, output.dir, f)).mtimeMs < newest ? 'stale' : '',
      )
      .filter(Boolean);
    let files = distFiles;
    let origin = 'dist';
    if (output.dropIn) {
      // Shared with the start-up bench, which loads the same bytes.
      ({ files, origin } = await dropInFiles(ctx));
      figures.push(...budgetFigures(output.dir, files));
    } else if (problems.length > 0 && !ctx.smoke) {
      // A missing or stale dist would measure yesterday's code: build this output afresh in memory.
      const config = configs.all.find((c) => c !== configs.dropIn && c.output.dir === output.dir);
      ctx.log(`${output.dir} is ${problems[0]}: building it with rollup.config.mjs (in memory)`);
      files = new Map((await buildInMemory(config)).map((o) => [o.fileName, o.code]));
      origin = 'fresh build (dist was missing or stale)';
    } else if (problems.length > 0) {
      origin = `dist (${problems[0]})`;
    }
    for (const entry of output.entries) {
      const name = entry.file ?? [...files.keys()].find((n) => entry.pattern.test(n) && !n.includes('/'));
      if (!name || !files.has(name)) {
        notes.push(`${output.dir}/${entry.file ?? entry.pattern}: not built (run \`pnpm build\`).`);
        continue;
      }
      const parts = entry.own ? [name] : groupFiles([name], sourceOf('', files));
      const text = parts.map((p) => files.get(p)).join('\n');
      const raw = Buffer.byteLength(text);
      const gzip = parts.reduce((sum, p) => sum + gzipSize(files.get(p)), 0);
      rows.push([entry.label, `${output.dir}/${name}`, parts.length, raw, gzip, origin]);
      // Chunk names carry a content hash: the figure's id names the pattern, stable across builds.
      const id = `${output.dir}/${name}`.replace(/(consentkit-[\w-]+?)-[\w-]{8}\.js$/, '$1-*.js');
      figures.push(
        figure({
          id: `${id}:gzip`,
          label: `${entry.label}, gzip -9`,
          value: gzip,
          unit: 'B',
        }),
        figure({ id: `${id}:raw`, label: `${entry.label}, raw`, value: raw, unit: 'B' }),
      );
    }
  }
  notes.push(
    'gzip sizes are per file at level 9, summed over the entry and the chunks it imports statically.',
    'When a dist file is missing or older than its sources, the full run builds that output afresh in memory with the repository rollup config (the bytes `pnpm build` writes) rather than measure stale code.',
  );
  const dropIn = figures.find((f) => f.id === 'packages/widget/dist/consentkit.js:gzip');
  const budgets = figures.filter((f) => f.id.startsWith('sizes:budget:'));
  const checks = [
    { what: 'the drop-in was measured', ok: dropIn !== undefined && dropIn.value > 0 },
    {
      what: "each of scripts/check-size.mjs's budgets was measured",
      ok: budgets.length === Object.keys(GROUPS).length && budgets.every((f) => f.value > 0),
    },
  ];
  return {
    checks,
    method: 'Raw and gzip -9 bytes of each public browser entry (`packages/*/dist`, as built by `pnpm build`).',
    figures,
    tables: [{ title: 'Entries', columns: ['entry', 'file', 'files', 'raw B', 'gzip -9 B', 'measured from'], rows }],
    notes,
  };
}
