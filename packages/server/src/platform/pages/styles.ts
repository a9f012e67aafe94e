// The one stylesheet of the hosted pages, inlined and allowed by its hash in the CSP. A hash
// rather than a nonce keeps pages without scripts (the uniform 404) byte-identical between
// requests, and needs no extra asset route.
import { createHash } from 'node:crypto';

export const PAGE_CSS = `
:root{color-scheme:light;--ink:#1a1a1a;--muted:#4a4a4a;--bg:#ffffff;--panel:#f4f5f7;--line:#8a8f98;--accent:#0b57d0;--accent-ink:#ffffff;--ok:#0a6b2d;--warn:#8a4b00;--focus:#b3261e}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;font-size:100%;line-height:1.5;color:var(--ink);background:var(--bg)}
body{margin:0}
.skip{position:absolute;left:-9999px;top:0;padding:.75rem 1rem;background:var(--bg);color:var(--accent)}
.skip:focus{left:1rem;top:1rem}
header,main,footer{max-width:40rem;margin:0 auto;padding:1rem 1.25rem}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:1px solid var(--line)}
header p{margin:0;font-weight:600}
h1{font-size:1.75rem;line-height:1.25;margin:1.5rem 0 .75rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
a{color:var(--accent);text-underline-offset:.15em}
a,button{min-height:44px;min-width:44px}
a{display:inline-flex;align-items:center}
button{font:inherit;font-weight:600;padding:.6rem 1.25rem;border-radius:.375rem;border:2px solid var(--accent);cursor:pointer}
.primary{background:var(--accent);color:var(--accent-ink)}
.secondary{background:var(--bg);color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:3px}
.notice{border-left:4px solid var(--ok);background:var(--panel);padding:.75rem 1rem;margin:1rem 0}
.notice.warn{border-left-color:var(--warn)}
.notice strong{display:block}
ul.purposes{list-style:none;padding:0;margin:0}
ul.purposes li{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:.75rem 0}
.purpose-head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
.purpose-head h3{margin:0;font-size:1.1rem}
.state{font-weight:600}
.state.on{color:var(--ok)}
.state.off{color:var(--muted)}
.purpose form{margin-top:.75rem}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:.9rem;border-top:1px solid var(--line);margin-top:2rem}
@media (prefers-reduced-motion:no-preference){button{transition:background-color .15s}}
`;

export const PAGE_CSS_HASH = `sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}`;
