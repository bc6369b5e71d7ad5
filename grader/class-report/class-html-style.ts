// The class page's style sheet, inlined into the page.
export const CLASS_PAGE_CSS = `
:root {
  --pass: #2e8b57; --fail: #d0453f; --error: #9aa1ab; --accent: #3467a8;
  --ink: #1c2430; --muted: #616b79; --line: #e4e7ec; --bg: #f4f6f8; --track: #edf0f3;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 28px 32px 40px; }
h1 { font-size: 24px; margin: 0 0 2px; letter-spacing: -0.01em; }
h2 { font-size: 16px; margin: 0 0 4px; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
.sub, .note, .muted { color: var(--muted); }
.late { font-weight: 600; }
.note { margin: 0 0 10px; font-size: 12.5px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12.5px; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin: 18px 0 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; }
.card.warn { border-color: #e8c9a0; background: #fffaf2; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin-top: 16px; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
.pair > section { margin-top: 16px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
tbody tr:last-child > * { border-bottom: none; }
thead th { font-size: 11.5px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; }
tbody th { font-weight: normal; }
table.compact td { padding: 3px 8px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rate { font-weight: 600; }
.who { max-width: 280px; overflow-wrap: break-word; }
.clip { display: block; max-width: 200px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
svg { display: block; overflow: visible; }
svg .track { fill: var(--track); }
svg .pass { fill: var(--pass); }
svg .fail { fill: var(--fail); }
svg .error { fill: var(--error); }
svg .score, svg .hist { fill: var(--accent); }
svg .grid { stroke: var(--line); }
svg .axis { stroke: #9aa1ab; }
svg text { font-size: 11px; fill: var(--muted); font-family: inherit; }
svg text.count { fill: var(--ink); font-weight: 600; }
.legend { font-size: 12px; font-weight: normal; color: var(--muted); }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
.key.pass { background: var(--pass); } .key.fail { background: var(--fail); } .key.error { background: var(--error); }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.pill.pass { background: #e2f3e8; color: #1e6b3f; }
.pill.fail { background: #fbe6e4; color: #9e2c26; }
.pill.error { background: #eceef1; color: #4a525d; }
.chip { display: inline-block; margin: 1px 2px 1px 0; padding: 0 7px; border-radius: 4px; font-size: 12px; white-space: nowrap;
  font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
.chip.fail { background: #fbe6e4; color: #8e2621; }
.chip.error { background: #eceef1; color: #4a525d; }
.chip .hosts { opacity: 0.75; }
ul.reasons { margin: 0; padding-left: 18px; }
@media print {
  body { background: #fff; }
  main { padding: 0; }
  section, .card { break-inside: avoid; }
}
@media (max-width: 900px) {
  .cards { grid-template-columns: repeat(2, 1fr); }
  .pair { grid-template-columns: 1fr; }
}
section[id^="lab-"] pre { white-space: pre-wrap; word-break: break-all; max-height: 20em; overflow: auto; background: #f6f7f9; padding: 6px; font-size: 12px; }
section[id^="lab-"] p { margin: 2px 0; }
`;
