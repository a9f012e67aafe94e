// Writes packages/widget/custom-elements.json (schema 2.1.0) from the components' JSDoc and
// `static properties`. `@custom-elements-manifest/analyzer` is not a dependency of this repo,
// so this reads the few tags our component files use (conventions §7, §18); the rollup build
// runs it after each widget build.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = resolve(import.meta.dirname, '..');

const COMPONENTS = [
  ['consent-checkbox', 'ConsentCheckbox'],
  ['consent-optout', 'ConsentOptOut'],
  ['consent-notice', 'ConsentNotice'],
  ['consent-preferences', 'ConsentPreferences'],
  ['consent-config', 'ConsentConfig'],
];

/** Tags from the class's JSDoc header: `@tag name - description` or `@event name - {Type} description`. */
function tags(header, tag) {
  const out = [];
  for (const match of header.matchAll(new RegExp(`@${tag}\\s+(\\S+)\\s*-\\s*([^\\n]*)`, 'g'))) {
    const [, name, rest] = match;
    const typed = /^\{(\w+)\}\s*(.*)$/.exec(rest.trim());
    out.push({
      name: name === '-' ? '' : name,
      description: (typed ? typed[2] : rest).trim(),
      ...(typed ? { type: { text: typed[1] } } : {}),
    });
  }
  // `@slot - text` (the default slot) has no name before the dash.
  if (tag === 'slot') {
    for (const match of header.matchAll(/@slot\s+-\s*([^\n]*)/g)) out.push({ name: '', description: match[1].trim() });
  }
  return out;
}

/**
 * An attribute of an element without reactive properties (`observedAttributes`), with its type
 * and description from an `@attr {type} name - description` tag of the class header, if any.
 */
function documentedAttribute(header, name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`@attr\\s+\\{([^}]+)\\}\\s+${escaped}\\s*-\\s*([^\\n]*)`).exec(header);
  return match ? { name, type: { text: match[1].trim() }, description: match[2].trim() } : { name };
}

/** `declare name: Type;` fields with the one-line doc above them. */
function fields(source) {
  const out = [];
  // The doc may not contain `*/`: otherwise a match starting at the class header would run on
  // through the code to the first field's doc and take all of it as that field's description.
  for (const match of source.matchAll(/\/\*\*\s*((?:(?!\*\/)[\s\S])*?)\*\/\s*\n\s*declare (\w+): ([^;]+);/g)) {
    // A doc opening on its own line leaves the first line's `*` at the start: drop it.
    const description = match[1]
      .replace(/\n\s*\*\s?/g, ' ')
      .replace(/^\*\s*/, '')
      .trim();
    out.push({ name: match[2], type: match[3].trim(), description });
  }
  return out;
}

/** Attribute names from `static properties`: `attribute: 'x'` or the lower-cased property name. */
function attributes(source, declared) {
  const block = /static override properties[^=]*=\s*\{([\s\S]*?)\n\s*\};/.exec(source)?.[1] ?? '';
  const out = [];
  for (const match of block.matchAll(/(\w+):\s*\{([^}]*)\}/g)) {
    const [, property, options] = match;
    if (/state:\s*true/.test(options) || /attribute:\s*false/.test(options)) continue;
    const named = /attribute:\s*'([^']+)'/.exec(options)?.[1];
    const field = declared.find((f) => f.name === property);
    out.push({
      name: named ?? property.toLowerCase(),
      fieldName: property,
      ...(field ? { type: { text: field.type }, description: field.description } : {}),
    });
  }
  return out;
}

export function buildManifest() {
  const modules = COMPONENTS.map(([tag, className]) => {
    const path = `src/${tag}/${tag}.ts`;
    const source = readFileSync(resolve(pkg, path), 'utf8');
    const header = /\/\*\*([\s\S]*?)\*\/\s*export class/.exec(source)?.[1] ?? '';
    const summary =
      /@summary\s+([\s\S]*?)(?=\n\s*\*\s*\n|\n\s*\*\s*@)/
        .exec(header)?.[1]
        .replace(/\n\s*\*\s?/g, ' ')
        .trim() ?? '';
    const declared = fields(source);
    const base =
      tag === 'consent-checkbox' ? fields(readFileSync(resolve(pkg, 'src/internal/form-associated.ts'), 'utf8')) : [];
    const baseSource =
      tag === 'consent-checkbox' ? readFileSync(resolve(pkg, 'src/internal/form-associated.ts'), 'utf8') : '';
    const observed = /observedAttributes = \[([^\]]*)\]/.exec(source)?.[1];
    return {
      kind: 'javascript-module',
      path,
      declarations: [
        {
          kind: 'class',
          name: className,
          tagName: tag,
          customElement: true,
          summary,
          attributes: observed
            ? [...observed.matchAll(/'([^']+)'/g)].map((m) => documentedAttribute(header, m[1]))
            : [...attributes(baseSource, base), ...attributes(source, declared)],
          members: [...base, ...declared].map((f) => ({
            kind: 'field',
            name: f.name,
            type: { text: f.type },
            description: f.description,
          })),
          slots: tags(header, 'slot').filter((s, i, all) => all.findIndex((x) => x.name === s.name) === i),
          events: tags(header, 'event'),
          cssParts: tags(header, 'csspart'),
          cssProperties: tags(header, 'cssproperty'),
          cssStates: tags(header, 'cssstate'),
        },
      ],
      exports: [
        { kind: 'js', name: className, declaration: { name: className, module: path } },
        { kind: 'custom-element-definition', name: tag, declaration: { name: className, module: path } },
      ],
    };
  });
  return { schemaVersion: '2.1.0', readme: 'README.md', modules };
}

/** The manifest as written on disk (tests compare it with what the sources produce now). */
export function readManifest() {
  return JSON.parse(readFileSync(resolve(pkg, 'custom-elements.json'), 'utf8'));
}

export async function writeManifest() {
  writeFileSync(resolve(pkg, 'custom-elements.json'), `${JSON.stringify(buildManifest(), null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await writeManifest();
