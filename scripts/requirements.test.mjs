// Requirements live in the repository: every requirement or conformance-test id that code, tests
// and docs cite (R17, B11, G8…) is defined in docs/requirements.md, and nothing cites an issue
// number, which means nothing to someone reading the repository. Scans every text file of the
// repository outside node_modules, build output (dist, the examples' development builds in
// dist-dev) and dot-folders. The detectors are first run on synthetic
// lines, so a broken pattern fails here instead of passing silently.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');
const CATALOGUE = 'docs/requirements.md';
const SELF = relative(root, import.meta.filename)
  .split(sep)
  .join('/');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-dev', 'coverage']);
/** Text the repository's authors write. JSON, SVG and lockfiles are data or generated. */
const TEXT_FILE = /\.(?:[cm]?[jt]sx?|md|html|css|sql|txt|ya?ml|sh)$/;
const SKIP_FILES = new Set(['pnpm-lock.yaml']);

/** A cited id: R1…R75 are requirements, A1…G10 conformance tests (docs/requirements.md §9). */
const CITED_ID = /\b[A-GR]\d{1,3}\b/g;

// ---------------------------------------------------------------------------------------------
// Issue-number citations. Two kinds of pattern:
// - "issue 7", "Issue #8", "issues 3 and 5", "(#7)": flagged anywhere, strings included (a test
//   name such as `issue 6 journeys` is a citation too);
// - a bare "#7": flagged only in comments and in markdown prose outside code fences, and only
//   when it stands alone, so CSS colours in code (`#111`), entities (`&#39;`), URL fragments
//   (`page#7`, `(#10-admin-dashboard)`), private fields (`#seq`), PKCS#8 and headings are left alone.
const ISSUE_ANYWHERE = [/\bissues?:?(?:[ \t]+#?|[ \t]*#)[ \t]*\d+\b/gi, /\(#\d+\)/g];
const ISSUE_BARE = /(?<![\w&/#"'=:\\-])(?<![:=][ \t]*)#\d+(?![\w-])/g;

/** The comment text of each line of a file, by file kind; for markdown and plain text, every line
 * outside code fences. */
function commentLines(text, file) {
  const lines = text.split('\n');
  if (/\.(?:md|txt)$/.test(file)) {
    let fenced = false;
    return lines.map((line) => {
      if (/^\s*(?:```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    });
  }
  const lineComment = /\.(?:[cm]?[jt]sx?)$/.test(file)
    ? '//'
    : /\.sql$/.test(file)
      ? '--'
      : /\.ya?ml$|\.sh$/.test(file)
        ? '#'
        : null;
  const html = /\.html$/.test(file);
  const out = [];
  let block = null; // the closing token of the block comment we are in
  let template = false; // inside a JS template literal, which may span lines
  for (const line of lines) {
    let comment = '';
    let quote = null;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (block) {
        if (line.startsWith(block, i)) {
          i += block.length - 1;
          block = null;
        } else comment += ch;
        continue;
      }
      if (quote || template) {
        if (ch === '\\') i++;
        else if (quote && ch === quote) quote = null;
        else if (!quote && ch === '`') template = false;
        continue;
      }
      if (html && line.startsWith('<!--', i)) {
        block = '-->';
        i += 3;
      } else if (!html && line.startsWith('/*', i)) {
        block = '*/';
        i += 1;
      } else if (lineComment && line.startsWith(lineComment, i)) {
        comment += line.slice(i + lineComment.length);
        break;
      } else if (!html && (ch === '"' || ch === "'")) quote = ch;
      else if (!html && lineComment === '//' && ch === '`') template = true;
    }
    out.push(comment);
  }
  return out;
}

/** Every issue-number citation in a file's text: `{ line, text }`, line numbers from 1. */
function findIssueCitations(text, file) {
  const found = [];
  const lines = text.split('\n');
  const comments = commentLines(text, file);
  lines.forEach((line, index) => {
    const hits = ISSUE_ANYWHERE.flatMap((re) => [...line.matchAll(re)].map((m) => m[0]));
    const strong = new Set(hits.map((h) => /#\d+/.exec(h)?.[0]));
    for (const m of comments[index].matchAll(ISSUE_BARE)) if (!strong.has(m[0])) hits.push(m[0]);
    for (const hit of hits) found.push({ line: index + 1, text: hit });
  });
  return found;
}

/** Every cited id in a file's text: `{ id, line }`. A hyphen on both sides makes it a segment of
 * an upper-case UUID or hex run (`…-4372-A567-0E02…`), not a citation. */
function findCitedIds(text) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    for (const m of line.matchAll(CITED_ID)) {
      if (line[m.index - 1] === '-' && line[m.index + m[0].length] === '-') continue;
      found.push({ id: m[0], line: index + 1 });
    }
  });
  return found;
}

/** Rows of docs/requirements.md: `| <a id="r17"></a>R17 | requirement | source |`. */
function readCatalogue() {
  const text = readFileSync(join(root, CATALOGUE), 'utf8');
  const rows = new Map();
  const problems = [];
  text.split('\n').forEach((line, index) => {
    const row = /^\|\s*<a id="([^"]*)"><\/a>([A-Z]\d+)\s*\|(.*)\|\s*$/.exec(line);
    if (!row) return;
    const [, anchor, id, rest] = row;
    const where = `${CATALOGUE}:${index + 1}`;
    const cells = rest.split('|').map((c) => c.trim());
    if (anchor !== id.toLowerCase())
      problems.push(`${where}: ${id}'s anchor is "${anchor}", expected "${id.toLowerCase()}"`);
    if (cells.length !== 2 || cells.some((c) => c === ''))
      problems.push(
        `${where}: ${id} needs exactly two more cells, the requirement and its source (a "|" inside a cell splits it)`,
      );
    if (rows.has(id)) problems.push(`${where}: ${id} is defined twice (first at line ${rows.get(id).line})`);
    else rows.set(id, { line: index + 1, text: cells[0] ?? '', source: cells[1] ?? '' });
  });
  return { rows, problems };
}

function repositoryFiles(dir = root, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) repositoryFiles(full, out);
    else if (TEXT_FILE.test(entry.name) && !SKIP_FILES.has(entry.name))
      out.push(relative(root, full).split(sep).join('/'));
  }
  return out.sort();
}

const files = repositoryFiles().filter((f) => f !== SELF);
const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

describe('requirements in the repository (docs/requirements.md)', () => {
  it('the issue detector flags citations and leaves colours, fragments, fields and headings alone', () => {
    const flagged = (text, file = 'x.ts') => findIssueCitations(text, file).map((f) => f.text);
    // Citations, in code and comments alike.
    expect(flagged('// Rate limits (issue 9): a token bucket')).to.deep.equal(['issue 9']);
    expect(flagged('// Issue #8 sets the targets')).to.deep.equal(['Issue #8']);
    expect(flagged('describe(`issue 6 journeys in Firefox`, run);')).to.deep.equal(['issue 6']);
    expect(flagged('// see issues 3 and 5')).to.deep.equal(['issues 3']);
    expect(flagged('const x = 1; // the budget (#4)')).to.deep.equal(['(#4)']);
    expect(flagged('/**\n * fixed in #7 and #12.\n */')).to.deep.equal(['#7', '#12']);
    expect(flagged('// Issue: #7')).to.deep.equal(['Issue: #7']);
    expect(flagged('/* a block\n   that cites #7 */ const y = 2;')).to.deep.equal(['#7']);
    expect(flagged('-- Issue 7: scoped keys', 'x.sql')).to.deep.equal(['Issue 7']);
    expect(flagged('The gaps of #9 are listed here.', 'x.md')).to.deep.equal(['#9']);
    expect(flagged('<!-- (issue 4) -->', 'x.html')).to.deep.equal(['issue 4']);
    // Not citations.
    expect(flagged("'.dark { background: #111; color: #eee; }'")).to.deep.equal([]);
    expect(flagged("const esc = { \"'\": '&#39;', '`': '&#96;' };")).to.deep.equal([]);
    expect(flagged('class A { #seq = 0; #next() { return this.#seq; } }')).to.deep.equal([]);
    expect(flagged('// a PKCS#8 key, see https://example.com/page#3 and the fill="#555" attribute')).to.deep.equal([]);
    expect(flagged('expect(out).to.match(/#1 .* - /); // attempt numbers')).to.deep.equal([]);
    expect(flagged('const issueToken = issue2(1); // issues.length')).to.deep.equal([]);
    expect(flagged('# Heading\n## 10. Admin\nSee [§ 10](privacy.md#10-admin-dashboard).', 'x.md')).to.deep.equal([]);
    expect(flagged('```css\n.dark { color: #111 }\n```', 'x.md')).to.deep.equal([]);
    expect(flagged('/* dark theme: #111 */ .a { color: #222; }', 'x.css')).to.deep.equal([]);
  });

  it('the id pattern finds requirement and test ids and nothing else', () => {
    const ids = (text) => findCitedIds(text).map((f) => f.id);
    expect(ids("it('withdraws in one action (R19, R27, C9)')")).to.deep.equal(['R19', 'R27', 'C9']);
    expect(ids('// R1–R7 and B11; G10.')).to.deep.equal(['R1', 'R7', 'B11', 'G10']);
    expect(ids('0xA1 D83D E2E r17 R17a #E8E8E8 PKCS#8 H1 F47AC10B-58CC-4372-A567-0E02B2C3D479')).to.deep.equal([]);
    expect(ids('R55-R59, R999')).to.deep.equal(['R55', 'R59', 'R999']);
  });

  it(`${CATALOGUE} is well formed and defines R1–R75`, () => {
    const { rows, problems } = readCatalogue();
    for (let n = 1; n <= 75; n++) if (!rows.has(`R${n}`)) problems.push(`R${n} is missing from ${CATALOGUE}`);
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it(`every conformance test in ${CATALOGUE} covers requirements that exist`, () => {
    const { rows } = readCatalogue();
    const problems = [];
    for (const [id, row] of rows) {
      if (id.startsWith('R')) continue;
      const covers = [...row.source.matchAll(CITED_ID)].map((m) => m[0]);
      if (covers.length === 0) problems.push(`${CATALOGUE}:${row.line}: ${id} covers no requirement`);
      for (const r of covers)
        if (!rows.has(r)) problems.push(`${CATALOGUE}:${row.line}: ${id} covers ${r}, which is not defined`);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it(`every cited id is defined in ${CATALOGUE}`, () => {
    const { rows } = readCatalogue();
    const undefinedIds = new Map(); // id → { first, count }
    let citations = 0;
    for (const [file, text] of texts) {
      if (file === CATALOGUE) continue;
      for (const { id, line } of findCitedIds(text)) {
        citations++;
        if (rows.has(id)) continue;
        const seen = undefinedIds.get(id);
        if (seen) seen.count++;
        else undefinedIds.set(id, { first: `${file}:${line}`, count: 1 });
      }
    }
    // A walk that finds nothing would pass; the repository cites hundreds of ids.
    expect(citations, 'cited ids found in the repository').to.be.greaterThan(100);
    const problems = [...undefinedIds].map(
      ([id, { first, count }]) =>
        `${id} is cited ${count}× (first at ${first}) but not defined in ${CATALOGUE}: ` +
        'add a row for it (the requirement in your own words and its source), or cite the right id',
    );
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('nothing cites an issue number', () => {
    const problems = [];
    for (const [file, text] of texts)
      for (const { line, text: hit } of findIssueCitations(text, file)) problems.push(`${file}:${line}: "${hit}"`);
    expect(files.length, 'files scanned').to.be.greaterThan(100);
    expect(
      problems,
      `${problems.length} issue-number citation(s). Cite the requirement instead (an id from ${CATALOGUE}), ` +
        `or say what the code or test does:\n${problems.join('\n')}`,
    ).to.deep.equal([]);
  });

  it(`nothing points at the catalogue outside the repository (standards.md) instead of ${CATALOGUE}`, () => {
    const problems = [];
    for (const [file, text] of texts)
      text.split('\n').forEach((line, index) => {
        if (/\bstandards\.md\b/.test(line)) problems.push(`${file}:${index + 1}`);
      });
    expect(
      problems,
      `standards.md is not in the repository; point at ${CATALOGUE} (or just cite the id):\n${problems.join('\n')}`,
    ).to.deep.equal([]);
  });

  it('scans the folders that cite requirements', () => {
    for (const folder of ['packages', 'examples', 'scripts', 'bench', 'docs'])
      expect(
        files.some((f) => f.startsWith(`${folder}/`)) || !existsSync(join(root, folder)),
        `${folder}/ scanned`,
      ).to.equal(true);
  });
});
