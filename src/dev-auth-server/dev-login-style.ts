import { createHash } from 'node:crypto';

/** The page's look: system fonts, one card, light and dark. No external resources (the CSP forbids them). */
const BASE = `
:root{color-scheme:light dark;--fg:#1c2230;--muted:#5d6678;--line:#dde2ea;--card:#fff;--bg:#f2f4f8;
--accent:#2d5bd7;--on-accent:#fff;--soft:#f6f8fb;--alert:#a33a14;--alert-bg:#fdf1ec}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a2aabb;--line:#353c4b;--card:#1a1f29;
--bg:#10141b;--accent:#7193f2;--on-accent:#0c1018;--soft:#212735;--alert:#f3a683;--alert-bg:#3a2119}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;padding:24px;background:var(--bg);
color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{width:100%;max-width:470px;background:var(--card);border:1px solid var(--line);border-radius:14px;
padding:26px 28px;box-shadow:0 2px 10px rgba(16,24,40,.06)}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.badge{display:inline-block;font-size:11.5px;font-weight:600;letter-spacing:.05em;text-transform:uppercase;
color:var(--muted);border:1px solid var(--line);border-radius:999px;padding:2px 10px}
h1{font-size:21px;line-height:1.3;margin:14px 0 6px}
p{margin:0 0 14px}
.lead{margin-bottom:6px}
.resources{list-style:none;margin:0 0 18px;padding:0}
.resources li{padding-left:12px;border-left:3px solid var(--accent);margin-bottom:6px}
.resources code{display:block;color:var(--muted);word-break:break-all}
.alert{color:var(--alert);background:var(--alert-bg);border-radius:8px;padding:8px 12px}
fieldset{border:0;margin:0 0 6px;padding:0}
legend{font-weight:600;margin-bottom:6px;padding:0}
.scope{display:flex;gap:10px;align-items:flex-start;padding:9px 12px;border:1px solid var(--line);
border-radius:9px;margin-bottom:6px;background:var(--soft)}
label.scope{cursor:pointer}
.scope input{margin:3px 0 0;width:16px;height:16px;accent-color:var(--accent);flex:none}
.scope small{display:block;color:var(--muted);font-size:13.5px}
.muted{color:var(--muted);font-size:13.5px}
.granted{border-top:1px solid var(--line);padding-top:12px}
.granted code{display:inline-block;margin:2px 4px 2px 0;padding:1px 7px;border-radius:6px;background:var(--soft);
border:1px solid var(--line)}
.field{display:block;font-weight:600;margin-bottom:4px}
.field input{display:block;width:100%;margin-top:4px;font:inherit;font-weight:400;padding:8px 10px;
border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--fg)}
.actions{display:flex;gap:10px;margin-top:18px}
button{font:inherit;font-weight:600;padding:9px 18px;border-radius:8px;border:1px solid var(--line);
background:var(--card);color:var(--fg);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
button:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
form:has(.scope input:checked) .nothing{display:none}
`;

/**
 * The page's style sheet. Each summary chip `.g-N` of the "will be granted" list hides while the
 * checkbox `#scope-N` is unchecked, so the list stays true as the user unchecks scopes without
 * any script (the page allows none).
 *
 * @param toggled indexes of the scope rows that have a checkbox (fixed rows are always granted)
 */
export function devLoginStyles(toggled: readonly number[]): string {
  const rules = toggled.map((index) => `form:has(#scope-${index}:not(:checked)) .g-${index}{display:none}`);
  return `${BASE.trim()}\n${rules.join('\n')}`;
}

/** The CSP `style-src` source that allows exactly this inline style sheet (and no other). */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}
