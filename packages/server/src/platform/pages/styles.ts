// The one stylesheet of the hosted pages, inlined and allowed by its hash in the CSP. A hash
// rather than a nonce keeps pages without scripts (the uniform 404) byte-identical between
// requests, and needs no extra asset route. Logical properties only (inline-start/end, never
// left/right): the same rules lay out ar and he pages right to left (styles.test.ts checks).
import { createHash } from 'node:crypto';

export const PAGE_CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--bg:#ffffff;--panel:#f4f5f7;--line:#8a8f98;--accent:#0b57d0;--accent-ink:#ffffff;--ok:#0a6b2d;--warn:#8a4b00;--focus:#b3261e}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,"Noto Sans","Noto Sans CJK JP","Noto Sans Arabic","Noto Sans Hebrew",sans-serif;font-size:100%;line-height:1.5;color:var(--ink);background:var(--bg);overflow-wrap:break-word}
body{margin:0}
.skip{position:absolute;inset-block-start:1rem;inset-inline-start:1rem;padding:.75rem 1rem;background:var(--bg);color:var(--accent)}
.skip:not(:focus){clip-path:inset(50%);block-size:1px;inline-size:1px;overflow:hidden;white-space:nowrap;padding:0}
header,main,footer{max-inline-size:40rem;margin-block:0;margin-inline:auto;padding-block:1rem;padding-inline:1.25rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;border-block-end:1px solid var(--line)}
header p{margin:0;font-weight:600}
.languages summary{display:inline-flex;align-items:center;gap:.4rem;min-block-size:44px;min-inline-size:44px;cursor:pointer;color:var(--accent)}
.languages[open]{flex-basis:100%}
.languages ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:0 .75rem}
.languages a[aria-current]{font-weight:700;color:var(--ink)}
h1{font-size:1.75rem;line-height:1.25;margin-block:1.5rem .75rem;margin-inline:0}
h2{font-size:1.25rem;margin-block:1.5rem .5rem;margin-inline:0}
p{margin-block:.5rem;margin-inline:0}
a{color:var(--accent);text-underline-offset:.15em}
a,button{min-block-size:44px;min-inline-size:44px}
a{display:inline-flex;align-items:center}
button{font:inherit;font-weight:600;padding-block:.6rem;padding-inline:1.25rem;border-radius:.375rem;border:2px solid var(--accent);cursor:pointer;max-inline-size:100%;text-align:start}
.primary{background:var(--accent);color:var(--accent-ink)}
:focus-visible{outline:3px solid var(--focus);outline-offset:3px}
.notice{border-inline-start:4px solid var(--ok);background:var(--panel);padding-block:.75rem;padding-inline:1rem;margin-block:1rem;margin-inline:0}
.notice.warn{border-inline-start-color:var(--warn)}
.notice strong{display:block}
ul.purposes{list-style:none;padding:0;margin:0}
ul.purposes li{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin-block:.75rem;margin-inline:0}
.purpose-head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
.purpose-head h3{margin:0;font-size:1.1rem}
.state{font-weight:600}
.state.on{color:var(--ok)}
.state.off{color:var(--muted)}
.purpose form{margin-block-start:.75rem}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:.9rem;border-block-start:1px solid var(--line);margin-block-start:2rem}
@media (prefers-reduced-motion:no-preference){button{transition:background-color .15s}}
`;

export const PAGE_CSS_HASH = `sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}`;
