// The board's style sheet, served at /assets/board.css (the Content-Security-Policy allows no inline
// style). Sizes in rem so that 200% zoom reflows instead of clipping; tables scroll sideways in
// their own box on a phone; status colours always come with a symbol and a word.
export const BOARD_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, "DejaVu Sans", sans-serif; font-size: 100%; line-height: 1.45; color: #1b1b1b; background: #fff; }
body { margin: 0 auto; padding: 0 1rem 2rem; max-width: 110rem; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline; border-bottom: 1px solid #ccc; margin-bottom: .75rem; }
h1 { font-size: 1.5rem; margin: .75rem 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
nav a { margin-right: 1rem; }
a { color: #0645ad; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid #f5a300; outline-offset: 2px; }
.skip { position: absolute; left: -100rem; }
.skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; z-index: 2; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.muted { color: #595959; }
.moment { font-weight: 600; }
.live-dot { color: #1a7f37; }
.summary { font-size: 1.05rem; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; }
.controls label { display: flex; flex-direction: column; font-size: .9rem; }
input, select, button { font: inherit; padding: .3rem .5rem; min-height: 2.25rem; }
button { cursor: pointer; border: 1px solid #555; border-radius: .25rem; background: #f3f3f3; }
.scroll { overflow-x: auto; max-width: 100%; position: relative; }
table { border-collapse: collapse; margin: .25rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f2f2f2; position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; }
.grid td { text-align: center; }
.grid td.num { text-align: right; }
.grid td.who { text-align: left; min-width: 8rem; }
.grid td.when { white-space: nowrap; }
.grid tbody th { position: sticky; left: 0; background: #fff; z-index: 1; }
.grid tbody tr:nth-child(even) { background: #fafafa; }
.grid tr.updated { background: #fff6d6; transition: background 2s; }
.st { display: inline-block; white-space: nowrap; font-weight: 600; padding: 0 .3rem; border-radius: .2rem; }
.st.pass { color: #0f5323; background: #dcf5e3; }
.st.fail { color: #8a1010; background: #fde2e2; }
.st.error { color: #6b4500; background: #fff0c2; }
.st.late { color: #5a2d82; background: #efe4fa; }
.st.copy { color: #174a7c; background: #e1edf9; font-weight: 400; }
.legend .st { margin-right: .5rem; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); gap: 0 1.5rem; }
.panels table { width: 100%; }
.pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: .5rem 0; }
.flips { margin: 0; padding-left: 1.1rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; border: 1px solid #ddd; padding: .5rem; margin: .25rem 0; max-width: 100%; }
code { overflow-wrap: anywhere; }
.fix { border-left: .35rem solid #8a1010; padding-left: .75rem; }
.timeline svg { width: 100%; max-width: 40rem; height: auto; }
.timeline .line { fill: none; stroke: #0645ad; stroke-width: 2; }
.timeline .dot { fill: #0645ad; }
.timeline .axis { stroke: #bbb; stroke-dasharray: 4 3; }
.actions { margin: 1.5rem 0; }
.actions form { margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
.notice { background: #e8f3ff; border: 1px solid #9cc3ef; padding: .5rem .75rem; }
@media (max-width: 40rem) {
  body { padding: 0 .5rem 1.5rem; }
  h1 { font-size: 1.25rem; }
  th, td { padding: .25rem .35rem; }
  /* A result or an attempt per block: a phone has no room for their columns. */
  table.results, table.attempts, .results tbody, .attempts tbody, .results tr, .attempts tr, .results td, .attempts td, .results tbody th, .attempts tbody th { display: block; width: 100%; }
  .results thead, .attempts thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .results tr, .attempts tr { border: 1px solid #d0d0d0; margin-bottom: .5rem; }
  .results td, .attempts td, .results tbody th, .attempts tbody th { border: 0; }
  .results td.num, .attempts td.num { text-align: left; }
  .results caption, .attempts caption { display: block; }
}
`;
