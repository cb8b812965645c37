/**
 * The site's only style sheet, served at /style.css. System fonts (no font download), colours
 * chosen for a contrast of at least 4.5:1 on white, a visible focus ring, one column on a phone.
 */
export const STYLE_CSS = `
:root { --ink: #1b1b1b; --muted: #4a4a4a; --brand: #0b5394; --brand-dark: #073763; --line: #c8c8c8; --soft: #f3f6fa; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; font-size: 100%; line-height: 1.5; color: var(--ink); background: #fff; }
body { margin: 0; }
a { color: var(--brand); }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header, main, footer { padding: 1rem; max-width: 60rem; margin: 0 auto; }
header { border-bottom: 1px solid var(--line); }
header .site { font-weight: 700; font-size: 1.15rem; text-decoration: none; color: var(--ink); }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: .5rem 0 0; }
nav a[aria-current="page"] { font-weight: 700; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.1rem; margin: 0 0 .25rem; }
.muted { color: var(--muted); }
form.search { display: grid; gap: .75rem; background: var(--soft); padding: 1rem; border-radius: .5rem; }
form.search label { display: block; font-weight: 600; }
form.search input, form.search select { width: 100%; padding: .5rem; font: inherit; border: 1px solid #767676; border-radius: .25rem; background: #fff; color: var(--ink); }
button { font: inherit; padding: .5rem 1.25rem; border: 0; border-radius: .25rem; background: var(--brand); color: #fff; cursor: pointer; }
button:hover { background: var(--brand-dark); }
@media (min-width: 48rem) { form.search { grid-template-columns: 2fr 1.5fr 1fr auto; align-items: end; } }
ul.cards { list-style: none; padding: 0; display: grid; gap: 1rem; }
@media (min-width: 48rem) { ul.cards { grid-template-columns: 1fr 1fr; } }
.card { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem; overflow-wrap: anywhere; }
.card dl { margin: .5rem 0 0; display: grid; grid-template-columns: auto 1fr; gap: .15rem .75rem; }
.card dt { font-weight: 600; }
.card dd { margin: 0; }
.pager { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.communes { columns: 2 12rem; padding-left: 1.25rem; }
footer { border-top: 1px solid var(--line); margin-top: 2rem; font-size: .9rem; color: var(--muted); }
`;
