import { SERIES_COLORS, SERIES_COLORS_DARK } from "./svg.js";

const palette = (colors: readonly string[]) => colors.map((c, i) => `.rc-s${i}{--c:${c}}`).join("");

/**
 * The report's one stylesheet: system fonts only (no downloads), light and dark colour schemes
 * through `prefers-color-scheme`, and the chart classes of svg.ts restyled through CSS variables.
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;
--bg:#ffffff;--fg:#1a1d23;--muted:#5b6270;--faint:#868d99;--rule:#e3e5ea;--panel:#f7f8fa;--accent:#0b6bcb;
--grid:#e6e8ec;--axis:#9aa0ab;--code-bg:#f0f2f5;
--ok:#11703a;--ok-bg:#e3f4e9;--bad:#b42318;--bad-bg:#fdecea;--warn:#8a5a00;--warn-bg:#fff3d1;--na:#4b5563;--na-bg:#eef0f3}
@media (prefers-color-scheme:dark){:root{
--bg:#111318;--fg:#e6e8ec;--muted:#a3a9b5;--faint:#7d8492;--rule:#2a2e37;--panel:#171a20;--accent:#5aa9f2;
--grid:#262a33;--axis:#586070;--code-bg:#1d2128;
--ok:#6fdc9b;--ok-bg:#12301f;--bad:#ff8f84;--bad-bg:#3a1714;--warn:#f1c453;--warn-bg:#33280b;--na:#b6bcc7;--na-bg:#23262d}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:44px 32px 64px}
h1{font-size:30px;line-height:1.2;margin:4px 0 8px;letter-spacing:-.015em;font-weight:700}
h2{font-size:21px;line-height:1.3;margin:0 0 6px;letter-spacing:-.01em}
h3{font-size:16px;line-height:1.4;margin:0}
p{margin:0 0 10px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.88em}
code{background:var(--code-bg);padding:1px 5px;border-radius:4px}
.eyebrow{font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);margin:0}
.subtitle{font-size:18px;color:var(--muted);margin:0;max-width:60em}
.runinfo{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:12px 24px;margin:18px 0 0;
padding:16px 18px;background:var(--panel);border:1px solid var(--rule);border-radius:10px}
.runinfo div{min-width:0}
.runinfo dt{font-size:11.5px;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--faint)}
.runinfo dd{margin:2px 0 0;font-size:14.5px;overflow-wrap:anywhere}
.runinfo .wide{grid-column:1/-1}
.runinfo .wide code{display:block;padding:8px 10px;white-space:pre-wrap;word-break:break-all}
nav.toc{display:flex;flex-wrap:wrap;gap:6px 18px;margin:22px 0 0;font-size:14px}
nav.toc a{white-space:nowrap}
section{margin-top:44px;padding-top:24px;border-top:1px solid var(--rule)}
.lede{color:var(--muted);font-size:14.5px;max-width:62em;margin-bottom:16px}
.tally{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 16px}
.badge{display:inline-flex;align-items:center;gap:6px;font-size:12.5px;font-weight:600;line-height:1;
padding:5px 9px;border-radius:999px;white-space:nowrap;color:var(--st);background:var(--st-bg)}
.st-reproduced{--st:var(--ok);--st-bg:var(--ok-bg)}
.st-not-reproduced{--st:var(--bad);--st-bg:var(--bad-bg)}
.st-inconclusive{--st:var(--warn);--st-bg:var(--warn-bg)}
.st-underpowered{--st:var(--warn);--st-bg:var(--warn-bg)}
.st-ceiling{--st:var(--na);--st-bg:var(--na-bg)}
.st-not-applicable{--st:var(--na);--st-bg:var(--na-bg)}
.claims{list-style:none;margin:0;padding:0;display:grid;gap:12px}
.claim{border:1px solid var(--rule);border-left:4px solid var(--st);border-radius:8px;padding:14px 18px;background:var(--bg)}
.claim-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap;margin-bottom:6px}
.claim-head h3{flex:1 1 320px}
.claim .paper{font-size:14px;color:var(--muted)}
.claim .paper b{color:var(--fg);font-weight:600}
.claim .evidence{font-size:14.5px;margin-bottom:8px}
.numbers{display:flex;flex-wrap:wrap;gap:6px 8px;margin:0;padding:0;list-style:none}
.numbers li{font-size:13px;background:var(--panel);border:1px solid var(--rule);border-radius:6px;padding:3px 8px}
.numbers .k{color:var(--muted)}
.numbers .v{font-variant-numeric:tabular-nums;font-weight:600}
.table-wrap{overflow-x:auto;border:1px solid var(--rule);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;text-align:left;font-size:13px;color:var(--muted);padding:10px 14px;border-top:1px solid var(--rule)}
th,td{padding:9px 14px;text-align:right;vertical-align:top;border-bottom:1px solid var(--rule)}
tbody tr:last-child td,tbody tr:last-child th{border-bottom:0}
thead th{font-size:12.5px;font-weight:600;color:var(--muted);background:var(--panel);border-bottom:1px solid var(--rule);white-space:nowrap}
th.label,td.label{text-align:left}
tbody th.label{font-weight:600;white-space:nowrap}
tr.group th{text-align:left;font-size:13px;font-weight:600;color:var(--muted);background:var(--panel);padding:6px 14px}
thead th.span{text-align:center;border-left:1px solid var(--rule)}
td.sep,th.sep{border-left:1px solid var(--rule)}
td.text{text-align:left;white-space:pre-wrap;overflow-wrap:anywhere;max-width:36em;font-size:13px}
.mean{display:block}
.ci{display:block;font-size:12px;color:var(--muted);white-space:nowrap}
td.best .mean{font-weight:700}
.cell-n{font-size:11px;color:var(--faint)}
.rownote{display:block;font-weight:400;font-size:12px;color:var(--muted)}
.dash{color:var(--faint)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:3px;margin-right:8px;background:var(--c);vertical-align:0}
.arms{margin:12px 0 0;font-size:13.5px;color:var(--muted);display:grid;gap:2px}
.arms b{color:var(--fg);font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,440px),1fr));gap:18px}
.charts.small{grid-template-columns:repeat(auto-fit,minmax(min(100%,320px),1fr))}
figure{margin:0;padding:12px 12px 10px;background:var(--panel);border:1px solid var(--rule);border-radius:10px;min-width:0}
figure.wide{max-width:820px}
figcaption{font-size:13px;color:var(--muted);margin:8px 4px 0}
.rc-chart{display:block;width:100%;height:auto}
.rc-title,.rc-legend-text{fill:var(--fg)}
.rc-tick,.rc-axis-label{fill:var(--muted)}
.rc-grid{stroke:var(--grid)}
.rc-axis{stroke:var(--axis)}
.rc-err{stroke:var(--fg)}
.rc-line{stroke:var(--c)}
.rc-band,.rc-bar,.rc-dot{fill:var(--c)}
.rc-dot:hover{r:5}
${palette(SERIES_COLORS)}
@media (prefers-color-scheme:dark){${palette(SERIES_COLORS_DARK)}}
.note{border:1px solid var(--rule);border-left:4px solid var(--accent);border-radius:8px;padding:12px 16px;margin-bottom:12px}
.note.warning{border-left-color:var(--warn);background:var(--warn-bg)}
.note h3{margin-bottom:4px}
.note p:last-child{margin-bottom:0}
footer{margin-top:48px;padding-top:16px;border-top:1px solid var(--rule);font-size:12.5px;color:var(--faint)}
@media (max-width:640px){main{padding:28px 16px 48px}h1{font-size:25px}}
@media print{main{max-width:none;padding:0}section{break-inside:avoid-page}nav.toc{display:none}}
`;
